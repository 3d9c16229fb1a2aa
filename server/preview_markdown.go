// The Markdown subset of RichText and of TextBody with markdown:true ([M-COMP] "RichText"), rendered to
// HTML: headings, paragraphs, bulleted and numbered lists, tables, bold, italic, strikethrough, links and
// images (data: images only, so the page loads nothing from elsewhere).
package server

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	mdHeadingRe = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	mdBulletRe  = regexp.MustCompile(`^\s*[-*+]\s+(.*)$`)
	mdNumberRe  = regexp.MustCompile(`^\s*\d+[.)]\s+(.*)$`)
	mdTableSep  = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$`)
	mdInlineRe  = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]*)\)|\[([^\]]*)\]\(([^)\s]*)\)|\*\*(\S(?:.*?\S)?)\*\*|~~(\S(?:.*?\S)?)~~|\*(\S(?:.*?\S)?)\*|_(\S(?:.*?\S)?)_`)
)

// markdownHTML writes md as HTML.
func markdownHTML(b *htmlBuf, md string) {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	var para []string
	list := "" // "ul" or "ol" while a list is open
	flush := func() {
		if len(para) > 0 {
			b.raw(`<p>`)
			for i, l := range para {
				if i > 0 {
					b.raw(`<br>`)
				}
				mdInline(b, l, 0)
			}
			b.raw(`</p>`)
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			b.raw(`</`, list, `>`)
			list = ""
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
			closeList()
		case mdHeadingRe.MatchString(trimmed):
			flush()
			closeList()
			m := mdHeadingRe.FindStringSubmatch(trimmed)
			level := strconv.Itoa(min(len(m[1])+1, 6))
			b.raw(`<h`, level, `>`)
			mdInline(b, m[2], 0)
			b.raw(`</h`, level, `>`)
		case mdBulletRe.MatchString(line) || mdNumberRe.MatchString(line):
			flush()
			kind, re := "ul", mdBulletRe
			if !mdBulletRe.MatchString(line) {
				kind, re = "ol", mdNumberRe
			}
			if list != kind {
				closeList()
				b.raw(`<`, kind, `>`)
				list = kind
			}
			b.raw(`<li>`)
			mdInline(b, re.FindStringSubmatch(line)[1], 0)
			b.raw(`</li>`)
		case strings.HasPrefix(trimmed, "|") && i+1 < len(lines) && mdTableSep.MatchString(lines[i+1]):
			flush()
			closeList()
			b.raw(`<table><thead><tr>`)
			for _, cell := range tableCells(trimmed) {
				b.raw(`<th>`)
				mdInline(b, cell, 0)
				b.raw(`</th>`)
			}
			b.raw(`</tr></thead><tbody>`)
			i += 2
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				b.raw(`<tr>`)
				for _, cell := range tableCells(strings.TrimSpace(lines[i])) {
					b.raw(`<td>`)
					mdInline(b, cell, 0)
					b.raw(`</td>`)
				}
				b.raw(`</tr>`)
			}
			i--
			b.raw(`</tbody></table>`)
		default:
			closeList()
			para = append(para, trimmed)
		}
	}
	flush()
	closeList()
}

func tableCells(row string) []string {
	row = strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|")
	cells := strings.Split(row, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// mdInline writes one line's inline Markdown; depth bounds nesting.
func mdInline(b *htmlBuf, s string, depth int) {
	if depth > 4 {
		b.text(s)
		return
	}
	for len(s) > 0 {
		loc := mdInlineRe.FindStringSubmatchIndex(s)
		if loc == nil {
			b.text(s)
			return
		}
		b.text(s[:loc[0]])
		group := func(n int) string { return s[loc[2*n]:loc[2*n+1]] }
		has := func(n int) bool { return loc[2*n] >= 0 }
		switch {
		case has(2): // image
			src := group(2)
			if strings.HasPrefix(src, "data:image/") {
				b.raw(`<img`)
				b.attr("src", src)
				b.attr("alt", group(1))
				b.raw(`>`)
			} else {
				b.text(group(1))
			}
		case has(4): // link
			href := group(4)
			if strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://") {
				b.raw(`<a`)
				b.attr("href", href)
				b.raw(` target="_blank" rel="noopener noreferrer">`)
				mdInline(b, group(3), depth+1)
				b.raw(`</a>`)
			} else {
				mdInline(b, group(3), depth+1)
			}
		case has(5):
			b.raw(`<strong>`)
			mdInline(b, group(5), depth+1)
			b.raw(`</strong>`)
		case has(6):
			b.raw(`<s>`)
			mdInline(b, group(6), depth+1)
			b.raw(`</s>`)
		case has(7):
			b.raw(`<em>`)
			mdInline(b, group(7), depth+1)
			b.raw(`</em>`)
		case has(8):
			b.raw(`<em>`)
			mdInline(b, group(8), depth+1)
			b.raw(`</em>`)
		}
		s = s[loc[1]:]
	}
}

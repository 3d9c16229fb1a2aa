// Screen.Text: the visible text of a screen as a person reads it, for assertions in tests.
package player

import (
	"regexp"
	"strings"
)

// Text is the screen's visible text as a person reads it, one line per piece: the title; headings and
// body text (Markdown rendered to plain text: no **, #, or link syntax); each input's label, with
// "(optional)" when it is not required, its options and its message; link and button texts; Footer
// captions; NavigationList items; the endpoint's notice.
func (sc Screen) Text() string {
	var lines []string
	add := func(s ...string) {
		for _, l := range s {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
	}
	add(sc.Title)
	for _, c := range sc.Components {
		switch c.Type {
		case "TextHeading", "TextSubheading", "TextBody", "TextCaption", "RichText":
			for _, t := range c.Text {
				if c.Markdown {
					add(strings.Split(plainMarkdown(t), "\n")...)
				} else {
					add(t)
				}
			}
		case "Footer":
			add(textOf(c.Props["left-caption"]), textOf(c.Props["center-caption"]), textOf(c.Props["right-caption"]), c.Label)
		case "EmbeddedLink":
			add(c.Label)
		case "OptIn":
			add(c.Label + optional(c))
			if c.Action != nil {
				add("Read more")
			}
			add(c.Error)
		case "NavigationList":
			add(c.Label, textOf(c.Props["description"]))
			for _, it := range c.Items {
				add(it.Title, it.Description, it.Metadata, it.EndTitle, it.EndDescription, it.EndMetadata, it.Badge)
				add(it.Tags...)
			}
		case "Image", "ImageCarousel":
		default:
			if inputTypes[c.Type] {
				add(c.Label + optional(c))
				add(textOf(c.Props["description"]))
				for _, o := range c.Options {
					add(o.Title, o.Description, o.Metadata)
				}
				if c.Type == "TextInput" || c.Type == "TextArea" || c.Type == "DatePicker" {
					add(textOf(c.Props["helper-text"]))
				}
				add(c.Error)
			}
		}
	}
	add(sc.Notice)
	return strings.Join(lines, "\n")
}

func optional(c Component) string {
	if c.Required {
		return ""
	}
	return " (optional)"
}

var (
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdEmphasis = regexp.MustCompile(`(\*\*|__|~~|\*|_)(\S(?:.*?\S)?)(\*\*|__|~~|\*|_)`)
	mdHeading  = regexp.MustCompile(`^#{1,6}\s+`)
	mdBullet   = regexp.MustCompile(`^\s*[-*+]\s+`)
	mdTableSep = regexp.MustCompile(`^\s*\|?\s*:?-{3,}`)
)

// plainMarkdown renders the Markdown subset of TextBody and RichText as the text a person reads: headings
// without #, emphasis without its marks, links as their text, list items as "• item", table rows as cells
// separated by spaces.
func plainMarkdown(md string) string {
	var out []string
	for _, line := range strings.Split(md, "\n") {
		if mdTableSep.MatchString(line) {
			continue
		}
		line = mdHeading.ReplaceAllString(line, "")
		line = mdBullet.ReplaceAllString(line, "• ")
		line = mdLink.ReplaceAllString(line, "$1")
		for i := 0; i < 3 && mdEmphasis.MatchString(line); i++ {
			line = mdEmphasis.ReplaceAllString(line, "$2")
		}
		if strings.HasPrefix(strings.TrimSpace(line), "|") {
			cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			line = strings.Join(cells, "  ")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

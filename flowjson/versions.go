package flowjson

// This file holds the Flow JSON and Data API versions Meta knows, accepts and publishes (section B.2).

import "strconv"

// Versions returns every Flow JSON version Meta still accepts for sending,
// oldest first (section B.2 of the reference).
func Versions() []string {
	return []string{"2.1", "3.0", "3.1", "4.0", "5.0", "5.1", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3"}
}

// IsKnownVersion reports whether v is one of Versions.
func IsKnownVersion(v string) bool {
	switch v {
	case "2.1", "3.0", "3.1", "4.0", "5.0":
		return true
	}
	return IsPublishableVersion(v)
}

// IsPublishableVersion reports whether a flow with Flow JSON version v may be
// published. Versions 2.1, 3.0, 3.1, 4.0 and 5.0 are frozen: they can still be
// sent, but not published.
func IsPublishableVersion(v string) bool {
	switch v {
	case "5.1", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3":
		return true
	}
	return false
}

// DataAPIVersions returns the accepted values of "data_api_version". "4.0"
// is accepted only with Flow JSON 7.3 and later.
func DataAPIVersions() []string {
	return []string{"3.0", "4.0"}
}

// Version numbers are MAJOR*100+MINOR, as Meta's own tooling counts them, so
// that "version 6.1 or later" is a plain integer comparison.
const (
	v21 = 201
	v30 = 300
	v31 = 301
	v40 = 400
	v50 = 500
	v51 = 501
	v60 = 600
	v61 = 601
	v62 = 602
	v63 = 603
	v70 = 700
	v71 = 701
	v72 = 702
	v73 = 703
)

// versionNumber parses v as MAJOR.MINOR (ASCII digits, minor at most 99) and
// returns MAJOR*100+MINOR.
func versionNumber(v string) (int, bool) {
	if !isVersionFormat(v) {
		return 0, false
	}
	dot := 0
	for v[dot] != '.' {
		dot++
	}
	if dot > 4 || len(v)-dot-1 > 2 {
		return 0, false
	}
	major, _ := strconv.Atoi(v[:dot])
	minor, _ := strconv.Atoi(v[dot+1:])
	if major < 1 {
		return 0, false
	}
	return major*100 + minor, true
}

// versionString formats a version number as MAJOR.MINOR.
func versionString(n int) string {
	return strconv.Itoa(n/100) + "." + strconv.Itoa(n%100)
}

// isExpiredVersion reports versions that existed once and are now expired:
// those Meta's own Flow JSON validator (the web builder's bundle) answers
// with UNSUPPORTED_FLOW_JSON_VERSION and that are not in Versions.
func isExpiredVersion(n int) bool {
	switch n {
	case 100, 101, 110, 120, 200, 202, 299, 302, 401:
		return true
	}
	return false
}

// isUnavailableVersion reports versions that Meta's validator knows but that
// are enabled only for some business accounts (beta versions): 5.2 and 7.4.
func isUnavailableVersion(n int) bool {
	return n == 502 || n == 704
}

// isDataAPIVersionFor reports whether data API version d may be used with
// Flow JSON version ver (0 when ver is unknown, which accepts both).
func isDataAPIVersionFor(d string, ver int) bool {
	switch d {
	case "3.0":
		return true
	case "4.0":
		return ver == 0 || ver >= v73
	}
	return false
}

// isVersionFormat reports whether v has the form MAJOR.MINOR, both runs of
// ASCII digits.
func isVersionFormat(v string) bool {
	dot := -1
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '.' && dot < 0:
			dot = i
		case c < '0' || c > '9':
			return false
		}
	}
	return dot > 0 && dot < len(v)-1
}

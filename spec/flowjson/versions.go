package flowjson

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

// DataAPIVersions returns the accepted values of "data_api_version".
func DataAPIVersions() []string {
	return []string{"3.0", "4.0"}
}

func isDataAPIVersion(v string) bool {
	return v == "3.0" || v == "4.0"
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

// versionBefore reports whether the known version v is older than the known
// version w. Known versions are single-digit MAJOR.MINOR, so bytes compare.
func versionBefore(v, w string) bool {
	return v < w
}

// The preview page's stylesheet and script, embedded so that the page loads nothing from elsewhere.
package server

import _ "embed"

var (
	//go:embed previewassets/preview.css
	previewCSS string
	//go:embed previewassets/preview.js
	previewJS string
)

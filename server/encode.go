package server

import (
	"net/url"
	"strconv"

	"github.com/waflows/waflows/api"
)

// appendFlow writes the selected fields of f as a JSON object. waba is the flow's business account,
// needed only when sel asks for it; publicURL is the base of the preview link. Optional fields without a
// value are left out, as Graph does.
func appendFlow(b []byte, f *api.Flow, sel *selection, waba api.BusinessAccount, publicURL string) []byte {
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
	}
	for _, fl := range sel.fields {
		switch fl {
		case fID:
			key("id")
			b = appendString(b, f.ID)
		case fName:
			key("name")
			b = appendString(b, f.Name)
		case fStatus:
			key("status")
			b = appendString(b, string(f.Status))
		case fCategories:
			key("categories")
			b = append(b, '[')
			for j, c := range f.Categories {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendString(b, string(c))
			}
			b = append(b, ']')
		case fValidationErrors:
			key("validation_errors")
			b = appendValidationErrors(b, f.ValidationErrors)
		case fJSONVersion, fDataAPIVersion, fEndpointURI:
			name, v := optionalField(f, fl)
			if v != "" {
				key(name)
				b = appendString(b, v)
			}
		case fWABA:
			key("whatsapp_business_account")
			b = append(b, '{')
			for j, w := range sel.waba {
				if j > 0 {
					b = append(b, ',')
				}
				if w == wID {
					b = append(b, `"id":`...)
					b = appendString(b, waba.ID)
				} else {
					b = append(b, `"name":`...)
					b = appendString(b, waba.Name)
				}
			}
			b = append(b, '}')
		case fPreview:
			if f.Preview.Token != "" {
				key("preview")
				b = append(b, `{"preview_url":`...)
				b = appendString(b, previewURL(publicURL, f.ID, f.Preview.Token))
				b = append(b, `,"expires_at":`...)
				b = appendString(b, previewExpiry(f.Preview.ExpiresAt))
				b = append(b, '}')
			}
		}
	}
	return append(b, '}')
}

// previewURL is a flow's preview link, shaped as Meta's
// (https://business.facebook.com/wa/manage/flows/{flow-id}/preview/?token=…).
func previewURL(publicURL, flowID, token string) string {
	return publicURL + "/wa/manage/flows/" + url.PathEscape(flowID) + "/preview/?token=" + url.QueryEscape(token)
}

func optionalField(f *api.Flow, fl field) (string, string) {
	switch fl {
	case fJSONVersion:
		return "json_version", f.JSONVersion
	case fDataAPIVersion:
		return "data_api_version", f.DataAPIVersion
	default:
		return "endpoint_uri", f.EndpointURI
	}
}

// appendValidationErrors writes the validation_errors array.
func appendValidationErrors(b []byte, errs []api.ValidationError) []byte {
	b = append(b, '[')
	for i := range errs {
		e := &errs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"error":`...)
		b = appendString(b, e.Error)
		b = append(b, `,"error_type":`...)
		b = appendString(b, e.ErrorType)
		b = append(b, `,"message":`...)
		b = appendString(b, e.Message)
		b = append(b, `,"line_start":`...)
		b = strconv.AppendInt(b, int64(e.LineStart), 10)
		b = append(b, `,"line_end":`...)
		b = strconv.AppendInt(b, int64(e.LineEnd), 10)
		b = append(b, `,"column_start":`...)
		b = strconv.AppendInt(b, int64(e.ColumnStart), 10)
		b = append(b, `,"column_end":`...)
		b = strconv.AppendInt(b, int64(e.ColumnEnd), 10)
		if len(e.Pointers) > 0 {
			b = append(b, `,"pointers":[`...)
			for j, p := range e.Pointers {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendString(b, p)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// Package rows converts the parts of an api.Flow that SQL stores keep in text columns, so every store
// encodes them alike.
package rows

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/waflows/waflows/api"
)

// Categories encodes categories as a comma-separated list.
func Categories(cs []api.Category) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = string(c)
	}
	return strings.Join(names, ",")
}

// ParseCategories decodes Categories.
func ParseCategories(s string) []api.Category {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]api.Category, len(parts))
	for i, p := range parts {
		out[i] = api.Category(p)
	}
	return out
}

// ValidationErrors encodes validation errors as a JSON array ("[]" when there are none).
func ValidationErrors(errs []api.ValidationError) (string, error) {
	if len(errs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(errs)
	return string(b), err
}

// ParseValidationErrors decodes ValidationErrors.
func ParseValidationErrors(s, flowID string) ([]api.ValidationError, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var errs []api.ValidationError
	if err := json.Unmarshal([]byte(s), &errs); err != nil {
		return nil, fmt.Errorf("decode validation_errors of flow %s: %w", flowID, err)
	}
	return errs, nil
}

// Asset splits asset info into its columns (all zero when there is no asset).
func Asset(a *api.AssetInfo) (sha string, size, uploadedAt int64) {
	if a == nil {
		return "", 0, 0
	}
	return a.SHA256, a.Size, a.UploadedAt.UnixNano()
}

// ParseAsset rebuilds asset info from its columns; nil when no asset was uploaded.
func ParseAsset(sha string, size, uploadedAt int64) *api.AssetInfo {
	if sha == "" {
		return nil
	}
	return &api.AssetInfo{SHA256: sha, Size: size, UploadedAt: Time(uploadedAt)}
}

// Time decodes a unix-nanosecond column.
func Time(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// PreviewAt is the stored form of a preview link's expiry: unix nanoseconds, 0 without a link.
func PreviewAt(p api.Preview) int64 {
	if p.Token == "" {
		return 0
	}
	return p.ExpiresAt.UnixNano()
}

// ParseID turns a Graph flow id into the integer key the stores use; ok is false for anything that
// cannot be a flow id (empty, non-digits, a leading zero, too large).
func ParseID(id string) (int64, bool) {
	if id == "" || len(id) > 19 || id[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil
}

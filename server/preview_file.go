// The preview of a Flow JSON file on disk (waflows preview): the same page as a flow's preview URL,
// without the server's state, that reloads itself when the file changes.
package server

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/waflows/waflows/api"
)

// previewVersionPath answers the version of the file a file preview shows; its page asks every half
// second and reloads when the answer changes.
const previewVersionPath = "/_waflows/preview/version"

// FilePreview serves the preview page of one Flow JSON file at "/". Every request reads the file as it
// is now (a changed file restarts the sessions that play it), and the page reloads when the file
// changes. It is an http.Handler.
type FilePreview struct {
	path     string
	name     string
	p        *previewer
	endpoint *previewEndpoint // where interactive sessions' requests go; nil: the person answers them

	mu     sync.Mutex
	cached fileState
}

// fileState is what was read of the file, keyed by its size and modification time.
type fileState struct {
	size    int64
	modTime time.Time
	flow    previewFlow
	err     error
}

// NewFilePreview returns the preview of the Flow JSON file at path. log may be nil.
func NewFilePreview(path string, log *slog.Logger) *FilePreview {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return &FilePreview{path: abs, name: filepath.Base(path), p: newPreviewer(time.Now, log)}
}

// FileEndpoint is a data endpoint for a file preview's interactive sessions: requests are sealed with
// PublicKey and signed with AppSecret (none when empty), as WhatsApp sends them; Transport nil means
// DefaultEndpointTransport(nil).
type FileEndpoint struct {
	URL       string
	PublicKey *rsa.PublicKey
	AppSecret string
	Transport http.RoundTripper
}

// WithEndpoint makes the preview's interactive sessions call ep instead of asking the person to answer
// each request. It returns fp.
func (fp *FilePreview) WithEndpoint(ep FileEndpoint) *FilePreview {
	tr := ep.Transport
	if tr == nil {
		tr = DefaultEndpointTransport(nil)
	}
	fp.endpoint = &previewEndpoint{url: ep.URL, publicKey: ep.PublicKey, appSecret: ep.AppSecret, transport: tr}
	return fp
}

// load reads the file unless it is unchanged since the last read.
func (fp *FilePreview) load() fileState {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	st, err := os.Stat(fp.path)
	if err != nil {
		return fileState{err: fmt.Errorf("cannot read %s: %w", fp.path, err)}
	}
	if fp.cached.err == nil && fp.cached.flow.hash != "" && st.Size() == fp.cached.size && st.ModTime().Equal(fp.cached.modTime) {
		return fp.cached
	}
	if !st.Mode().IsRegular() {
		return fileState{err: fmt.Errorf("%s is not a regular file", fp.path)}
	}
	if st.Size() > api.MaxAssetSize {
		return fileState{size: st.Size(), modTime: st.ModTime(), err: fmt.Errorf("%s is %d bytes: Meta takes Flow JSON files of at most 10 MiB", fp.path, st.Size()),
			flow: previewFlow{hash: fmt.Sprintf("too-big-%d-%d", st.Size(), st.ModTime().UnixNano())}}
	}
	f, err := os.Open(fp.path)
	if err != nil {
		return fileState{err: fmt.Errorf("cannot read %s: %w", fp.path, err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, api.MaxAssetSize+1))
	if err != nil {
		return fileState{err: fmt.Errorf("cannot read %s: %w", fp.path, err)}
	}
	fp.cached = fileState{size: st.Size(), modTime: st.ModTime(), flow: newPreviewFlow(fp.path, fp.name, data)}
	return fp.cached
}

// version identifies the file's current content (or why it cannot be read).
func (fp *FilePreview) version() string {
	st := fp.load()
	if st.err != nil {
		sum := sha256.Sum256([]byte(st.err.Error()))
		return "err-" + hex.EncodeToString(sum[:8])
	}
	return st.flow.hash
}

// ServeHTTP serves the page, its assets and the file's version.
func (fp *FilePreview) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == previewVersionPath:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, fp.version())
		return
	case len(r.URL.Path) > len(previewAssetPrefix) && r.URL.Path[:len(previewAssetPrefix)] == previewAssetPrefix:
		if servePreviewAsset(w, r) {
			return
		}
	case r.URL.Path == "/":
		st := fp.load()
		t := previewTarget{path: "/", watch: previewVersionPath, version: fp.version()}
		if st.err != nil {
			fp.p.errorPage(w, r, t, http.StatusOK, "The file cannot be shown", st.err.Error()+". Fix it and save: this page reloads.", false)
			return
		}
		t.flow = st.flow
		if ep := fp.endpoint; ep != nil {
			t.endpointFor = func(context.Context, string) (*previewEndpoint, error) { return ep, nil }
		}
		fp.p.serve(w, r, t)
		return
	}
	http.NotFound(w, r)
}

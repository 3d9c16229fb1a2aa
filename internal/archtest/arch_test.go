// The dependency rules of the layout (docs/contract.md), checked with go list.
package archtest_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/waflows/waflows"

// allowed lists, for each of our packages, the packages of ours it may import: the layout's dependency rules
// (docs/contract.md; the project's style guide draws them as arrows: cmd → server, client, player, endpoint;
// server → api, gen, flowjson, player, endpoint; player → flowjson, endpoint; client → gen; api, flowjson,
// endpoint → nothing of ours; stores import api, never server; only cmd/ and waflowstest/ pick a concrete
// store). "*" allows anything. A package missing here fails the test, so a new package gets a rule; player
// and endpoint have theirs before they exist.
var allowed = map[string][]string{
	"api":                    {},
	"api/internal/rows":      {"api"},
	"api/sqlite":             {"api", "api/internal/rows"},
	"api/postgres":           {"api", "api/internal/rows"},
	"api/storetest":          {"api"},
	"flowjson":               {},
	"endpoint":               {},
	"player":                 {"flowjson", "endpoint"},
	"gen":                    {},
	"gen/echoserver":         {"gen"},
	"spec":                   {},
	"client":                 {"gen"},
	"server":                 {"api", "gen", "gen/echoserver", "spec", "flowjson", "player", "endpoint"},
	"waflowstest":            {"api", "api/sqlite", "client", "server"},
	"cmd/waflows":            {"*"},
	"internal/archtest":      {},
	"internal/contracttest":  {"server", "spec"},
	"internal/flowgen":       {},
	"internal/pgtest":        {},
	"internal/testflow":      {},
	"internal/endpointcheck": {"player", "endpoint", "flowjson"},
	"internal/readme":        {},
	"examples/endpoint":      {"endpoint"}, // what a user copies: the endpoint package and the standard library
	"bench/bareecho":         {},
	"bench/hostile":          {"*"},
}

// stdlibOnly are the packages whose whole dependency graph is the standard library.
var stdlibOnly = []string{"api", "flowjson", "endpoint", "api/storetest"}

// serverSide are modules a program importing only the client must not link.
var serverSide = []string{"github.com/labstack/echo", "github.com/getkin/kin-openapi", "modernc.org/sqlite", "github.com/jackc/pgx", "gopkg.in/yaml", "github.com/goccy/go-yaml", "sigs.k8s.io/yaml", "github.com/speakeasy-api"}

// clientDeps are the only modules outside the standard library the client may link: the oapi-codegen
// runtime and what it imports.
var clientDeps = []string{"github.com/oapi-codegen/runtime", "github.com/google/uuid", "github.com/apapsch/go-jsonmerge"}

type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
}

func goList(t *testing.T, args ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json=ImportPath,Standard,Imports,Deps"}, args...)...)
	cmd.Dir = "../.."
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func ours(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rest, ok := strings.CutPrefix(path, module+"/")
	return rest, ok
}

func TestDependencyArrows(t *testing.T) {
	t.Parallel()
	std := map[string]bool{}
	pkgs := goList(t, "./...")
	for _, p := range goList(t, "std") {
		std[p.ImportPath] = true
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		name, _ := ours(p.ImportPath)
		seen[name] = true
		rule, ok := allowed[name]
		if !ok {
			t.Errorf("%s has no dependency rule in archtest's allowed table", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			dep, isOurs := ours(imp)
			if isOurs && !slices.Contains(rule, "*") && !slices.Contains(rule, dep) {
				t.Errorf("%s imports %s, which the layout rules forbid (docs/contract.md) (it may import %v)", name, dep, rule)
			}
		}
		if slices.Contains(stdlibOnly, name) {
			for _, dep := range p.Deps {
				if _, isOurs := ours(dep); !std[dep] && !isOurs {
					t.Errorf("%s must use the standard library only, but depends on %s", name, dep)
				}
			}
		}
	}
	for _, must := range []string{"api", "flowjson", "client", "server", "gen", "gen/echoserver"} {
		if !seen[must] {
			t.Errorf("package %s is missing from go list ./...", must)
		}
	}
}

// TestClientStaysLight: a program importing only client links nothing of the server, and its stripped
// binary stays under 7 MB (Go 1.26's floor for any net/http client is 5.9 MB).
func TestClientStaysLight(t *testing.T) {
	t.Parallel()
	std := map[string]bool{}
	for _, p := range goList(t, "std") {
		std[p.ImportPath] = true
	}
	prog := goList(t, "./internal/archtest/testdata/clientonly")[0]
	for _, dep := range prog.Deps {
		if std[dep] || dep == module+"/client" || dep == module+"/gen" {
			continue
		}
		for _, bad := range serverSide {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("a client-only program links %s", dep)
			}
		}
		if !slices.ContainsFunc(clientDeps, func(ok string) bool { return strings.HasPrefix(dep, ok) }) {
			t.Errorf("a client-only program links %s, which is neither the standard library nor the oapi-codegen runtime", dep)
		}
	}

	bin := filepath.Join(t.TempDir(), "clientonly")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./internal/archtest/testdata/clientonly")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	st, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 7_000_000
	if st.Size() >= limit {
		t.Errorf("a client-only program is %d bytes stripped, want under %d", st.Size(), limit)
	}
	t.Logf("client-only program: %d bytes stripped", st.Size())
}

// TestGoDirective: go.mod asks for Go 1.26 with any patch release (go 1.26.0), the toolchain apart, so
// that users on any 1.26.x can depend on the module.
func TestGoDirective(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var goLine, toolchain string
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			goLine = v
		}
		if v, ok := strings.CutPrefix(line, "toolchain "); ok {
			toolchain = v
		}
	}
	if goLine != "1.26" && goLine != "1.26.0" {
		t.Errorf("go.mod says go %s; want 1.26.0, so any 1.26.x can build it", goLine)
	}
	if !strings.HasPrefix(toolchain, "go1.26.") {
		t.Errorf("go.mod's toolchain line is %q; want the pinned go1.26.x apart from the go line", toolchain)
	}
}

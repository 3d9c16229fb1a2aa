package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math/big"
	"os"
	"strings"

	"github.com/waflows/waflows/api"
	"go.yaml.in/yaml/v3"
)

// Access says which business accounts exist, their phone numbers, the Meta apps with their secrets, and
// which bearer tokens reach which accounts.
type Access struct {
	BusinessAccounts []api.BusinessAccount
	// PhoneNumbers are the accounts' WhatsApp phone numbers; a business public key is uploaded per number.
	PhoneNumbers []api.PhoneNumber
	// Apps are the Meta apps flows link to (application_id); their secrets sign data endpoint requests.
	Apps   []App
	Tokens []Token
	// SigningKey signs asset download URLs; when empty the server keeps a random key in the database.
	SigningKey string
}

// App is a Meta app: the id a flow names in application_id and the app secret that signs its data
// endpoint requests (X-Hub-Signature-256, flow_token_signature).
type App struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Secret string `yaml:"secret"`
}

// Token is one bearer token, the business accounts it may use, and the app it belongs to: a flow created
// with the token is linked to that app, as Graph infers application_id from the token.
type Token struct {
	Token            string   `yaml:"token"`
	BusinessAccounts []string `yaml:"business_accounts"`
	App              string   `yaml:"app"`
}

type accessFile struct {
	BusinessAccounts []struct {
		ID           string `yaml:"id"`
		Name         string `yaml:"name"`
		PhoneNumbers []struct {
			ID                 string `yaml:"id"`
			DisplayPhoneNumber string `yaml:"display_phone_number"`
		} `yaml:"phone_numbers"`
	} `yaml:"business_accounts"`
	Apps       []App   `yaml:"apps"`
	Tokens     []Token `yaml:"tokens"`
	SigningKey string  `yaml:"signing_key"`
}

// LoadAccessFile reads and checks an access file (YAML).
func LoadAccessFile(path string) (*Access, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("access file: %w", err)
	}
	a, err := ParseAccess(data)
	if err != nil {
		return nil, fmt.Errorf("access file %s: %w", path, err)
	}
	return a, nil
}

// ParseAccess parses an access file. Unknown keys, duplicate ids or tokens, non-numeric ids, apps
// without a secret, and tokens naming undeclared accounts or apps are errors.
func ParseAccess(data []byte) (*Access, error) {
	var f accessFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	a := &Access{SigningKey: f.SigningKey}
	known := map[string]bool{}
	for i, ba := range f.BusinessAccounts {
		if !isNumericID(ba.ID) {
			return nil, fmt.Errorf("business_accounts[%d]: id %q must be a numeric string such as \"102290129340398\"", i, ba.ID)
		}
		if known[ba.ID] {
			return nil, fmt.Errorf("business_accounts[%d]: id %s is listed twice", i, ba.ID)
		}
		known[ba.ID] = true
		name := ba.Name
		if strings.TrimSpace(name) == "" {
			name = "Business account " + ba.ID
		}
		a.BusinessAccounts = append(a.BusinessAccounts, api.BusinessAccount{ID: ba.ID, Name: name})
	}
	if len(a.BusinessAccounts) == 0 {
		return nil, fmt.Errorf("business_accounts: at least one business account is required")
	}
	ids := maps.Clone(known) // every Graph id in the file, so a phone number or app cannot reuse one
	for i, ba := range f.BusinessAccounts {
		for j, p := range ba.PhoneNumbers {
			where := fmt.Sprintf("business_accounts[%d].phone_numbers[%d]", i, j)
			if !isNumericID(p.ID) {
				return nil, fmt.Errorf("%s: id %q must be a numeric string such as \"106540352242922\"", where, p.ID)
			}
			if ids[p.ID] {
				return nil, fmt.Errorf("%s: id %s is already used in the file", where, p.ID)
			}
			ids[p.ID] = true
			a.PhoneNumbers = append(a.PhoneNumbers, api.PhoneNumber{ID: p.ID, WABAID: ba.ID, DisplayPhoneNumber: p.DisplayPhoneNumber})
		}
	}
	apps := map[string]bool{}
	for i, app := range f.Apps {
		if !isNumericID(app.ID) {
			return nil, fmt.Errorf("apps[%d]: id %q must be a numeric string such as \"1234567890123456\"", i, app.ID)
		}
		if ids[app.ID] {
			return nil, fmt.Errorf("apps[%d]: id %s is already used in the file", i, app.ID)
		}
		ids[app.ID], apps[app.ID] = true, true
		if app.Secret == "" {
			return nil, fmt.Errorf("apps[%d]: secret is required (the app secret that signs data endpoint requests)", i)
		}
		a.Apps = append(a.Apps, app)
	}
	seen := map[string]bool{}
	for i, t := range f.Tokens {
		if strings.TrimSpace(t.Token) == "" || strings.ContainsAny(t.Token, " \t\r\n") {
			return nil, fmt.Errorf("tokens[%d]: token must be non-empty and contain no whitespace", i)
		}
		if seen[t.Token] {
			return nil, fmt.Errorf("tokens[%d]: the same token is listed twice", i)
		}
		seen[t.Token] = true
		for _, id := range t.BusinessAccounts {
			if !known[id] {
				return nil, fmt.Errorf("tokens[%d]: business account %q is not declared under business_accounts", i, id)
			}
		}
		if t.App != "" && !apps[t.App] {
			return nil, fmt.Errorf("tokens[%d]: app %q is not declared under apps", i, t.App)
		}
		a.Tokens = append(a.Tokens, t)
	}
	if len(a.Tokens) == 0 {
		return nil, fmt.Errorf("tokens: at least one token is required")
	}
	if a.SigningKey != "" && len(a.SigningKey) < 32 {
		return nil, fmt.Errorf("signing_key: use at least 32 characters")
	}
	return a, nil
}

func isNumericID(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Settings under which the development credentials live in the store.
const (
	settingDevAccount   = "dev_business_account_id"
	settingDevToken     = "dev_token"
	settingDevPhone     = "dev_phone_number_id"
	settingDevApp       = "dev_app_id"
	settingDevAppSecret = "dev_app_secret"
	settingSigningKey   = "signing_key"
)

// DevAccess returns the development credentials kept in the store, creating them on first use: one
// business account with one phone number, one app with a random secret, and one random token that
// reaches the account and belongs to the app.
func DevAccess(ctx context.Context, store api.FlowStore) (*Access, error) {
	v := map[string]string{}
	for _, s := range []struct{ key, initial string }{
		{settingDevAccount, randomDigits(15)},
		{settingDevToken, "waflows-dev-" + randomHex(24)},
		{settingDevPhone, randomDigits(15)},
		{settingDevApp, randomDigits(16)},
		{settingDevAppSecret, randomHex(16)},
	} {
		got, err := store.InitSetting(ctx, s.key, s.initial)
		if err != nil {
			return nil, err
		}
		v[s.key] = got
	}
	id, app := v[settingDevAccount], v[settingDevApp]
	return &Access{
		BusinessAccounts: []api.BusinessAccount{{ID: id, Name: "Development business account"}},
		PhoneNumbers:     []api.PhoneNumber{{ID: v[settingDevPhone], WABAID: id, DisplayPhoneNumber: "+1 555-0100"}},
		Apps:             []App{{ID: app, Name: "Development app", Secret: v[settingDevAppSecret]}},
		Tokens:           []Token{{Token: v[settingDevToken], BusinessAccounts: []string{id}, App: app}},
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func randomDigits(n int) string {
	lo := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n-1)), nil)
	span := new(big.Int).Mul(lo, big.NewInt(9))
	v, err := rand.Int(rand.Reader, span)
	if err != nil {
		panic(err)
	}
	return v.Add(v, lo).String()
}

// grant is what one token may reach, and the app it belongs to.
type grant struct {
	accounts map[string]bool
	app      string
}

// grants indexes tokens by their SHA-256, so looking a token up takes time independent of how much of
// it matches a stored one.
type grants map[[sha256.Size]byte]*grant

func newGrants(a *Access) grants {
	g := make(grants, len(a.Tokens))
	for _, t := range a.Tokens {
		gr := &grant{accounts: map[string]bool{}, app: t.App}
		for _, id := range t.BusinessAccounts {
			gr.accounts[id] = true
		}
		g[sha256.Sum256([]byte(t.Token))] = gr
	}
	return g
}

func (g grants) lookup(token string) *grant {
	return g[sha256.Sum256([]byte(token))]
}

package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/waflows/waflows/api"
	"go.yaml.in/yaml/v3"
)

// Access says which business accounts exist and which bearer tokens reach which of them.
type Access struct {
	BusinessAccounts []api.BusinessAccount `yaml:"business_accounts"`
	Tokens           []Token               `yaml:"tokens"`
	// SigningKey signs asset download URLs; when empty the server keeps a random key in the database.
	SigningKey string `yaml:"signing_key"`
}

// Token is one bearer token and the business accounts it may use.
type Token struct {
	Token            string   `yaml:"token"`
	BusinessAccounts []string `yaml:"business_accounts"`
}

type accessFile struct {
	BusinessAccounts []struct {
		ID   string `yaml:"id"`
		Name string `yaml:"name"`
	} `yaml:"business_accounts"`
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

// ParseAccess parses an access file. Unknown keys, duplicate ids or tokens, non-numeric account ids and
// tokens naming undeclared accounts are errors.
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
	settingDevAccount = "dev_business_account_id"
	settingDevToken   = "dev_token"
	settingSigningKey = "signing_key"
)

// DevAccess returns the development credentials kept in the store, creating them on first use: one
// business account and one random token that reaches it.
func DevAccess(ctx context.Context, store api.FlowStore) (*Access, error) {
	id, err := store.InitSetting(ctx, settingDevAccount, randomDigits(15))
	if err != nil {
		return nil, err
	}
	token, err := store.InitSetting(ctx, settingDevToken, "waflows-dev-"+randomHex(24))
	if err != nil {
		return nil, err
	}
	return &Access{
		BusinessAccounts: []api.BusinessAccount{{ID: id, Name: "Development business account"}},
		Tokens:           []Token{{Token: token, BusinessAccounts: []string{id}}},
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

// grant is what one token may reach.
type grant struct {
	accounts map[string]bool
}

// grants indexes tokens by their SHA-256, so looking a token up takes time independent of how much of
// it matches a stored one.
type grants map[[sha256.Size]byte]*grant

func newGrants(a *Access) grants {
	g := make(grants, len(a.Tokens))
	for _, t := range a.Tokens {
		gr := &grant{accounts: map[string]bool{}}
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

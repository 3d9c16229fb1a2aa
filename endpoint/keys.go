// The business's RSA keys in PEM: the private key the endpoint decrypts with (PKCS#1 or PKCS#8, plain,
// legacy-encrypted as Meta's keyGenerator.js writes it, or encrypted PKCS#8) and the public key WhatsApp
// encrypts with (PKIX or PKCS#1).
package endpoint

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
)

// ParsePrivateKey reads an RSA private key in PEM: "RSA PRIVATE KEY" (PKCS#1) or "PRIVATE KEY" (PKCS#8),
// unencrypted or with a legacy Proc-Type/DEK-Info header (Meta's keyGenerator.js writes DES-EDE3-CBC
// PKCS#1), or "ENCRYPTED PRIVATE KEY" (PKCS#8 with PBES2: PBKDF2 and AES-CBC, as openssl writes it). An
// encrypted key needs its passphrase; an error says which format was found and what was expected.
func ParsePrivateKey(pemBytes []byte, passphrase string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("endpoint: no PEM block found: want a private key file starting with -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----")
	}
	der := block.Bytes
	switch block.Type {
	case "RSA PRIVATE KEY", "PRIVATE KEY":
		//lint:ignore SA1019 legacy PEM encryption is what Meta's keyGenerator.js writes; it is read, never written
		if x509.IsEncryptedPEMBlock(block) {
			if passphrase == "" {
				return nil, fmt.Errorf("endpoint: the %s is encrypted (%s): give its passphrase", block.Type, block.Headers["DEK-Info"])
			}
			//lint:ignore SA1019 see above
			plain, err := x509.DecryptPEMBlock(block, []byte(passphrase))
			if err != nil {
				return nil, fmt.Errorf("endpoint: decrypt the %s (%s): %w (is the passphrase right?)", block.Type, block.Headers["DEK-Info"], err)
			}
			der = plain
		}
	case "ENCRYPTED PRIVATE KEY":
		if passphrase == "" {
			return nil, errors.New("endpoint: the key is an encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY): give its passphrase")
		}
		plain, err := decryptPKCS8(der, []byte(passphrase))
		if err != nil {
			return nil, fmt.Errorf("endpoint: decrypt the ENCRYPTED PRIVATE KEY: %w", err)
		}
		der = plain
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return nil, fmt.Errorf("endpoint: the PEM block is a %s: the endpoint needs the private key", block.Type)
	default:
		return nil, fmt.Errorf("endpoint: the PEM block is %q: want RSA PRIVATE KEY (PKCS#1), PRIVATE KEY (PKCS#8) or ENCRYPTED PRIVATE KEY", block.Type)
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("endpoint: the %s is neither PKCS#1 nor PKCS#8: %w", block.Type, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("endpoint: the %s holds a %T key: WhatsApp Flows uses RSA", block.Type, k)
	}
	return rk, nil
}

// ParsePublicKey reads an RSA public key in PEM: "PUBLIC KEY" (PKIX, what Meta's upload takes) or "RSA
// PUBLIC KEY" (PKCS#1).
func ParsePublicKey(pemBytes []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("endpoint: no PEM block found: want a public key file starting with -----BEGIN PUBLIC KEY-----")
	}
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("endpoint: the PUBLIC KEY is not PKIX: %w", err)
		}
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("endpoint: the PUBLIC KEY holds a %T key: WhatsApp Flows uses RSA", k)
		}
		return rk, nil
	case "RSA PUBLIC KEY":
		k, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("endpoint: the RSA PUBLIC KEY is not PKCS#1: %w", err)
		}
		return k, nil
	case "RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		return nil, fmt.Errorf("endpoint: the PEM block is a %s: want the public key (PUBLIC KEY)", block.Type)
	}
	return nil, fmt.Errorf("endpoint: the PEM block is %q: want PUBLIC KEY (PKIX) or RSA PUBLIC KEY (PKCS#1)", block.Type)
}

// The ASN.1 of an encrypted PKCS#8 key with PBES2 (RFC 8018).
var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
)

type encryptedPrivateKeyInfo struct {
	Algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue
	}
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivation struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue
	}
	Encryption struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue
	}
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int `asn1:"optional"`
	PRF        struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	} `asn1:"optional"`
}

// maxPBKDF2Iterations bounds the work a key file can ask for.
const maxPBKDF2Iterations = 10_000_000

func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, errors.New("not an EncryptedPrivateKeyInfo")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("encryption scheme %v: only PBES2 (openssl's default) is supported", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, errors.New("malformed PBES2 parameters")
	}
	if !params.KeyDerivation.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("key derivation %v: only PBKDF2 is supported", params.KeyDerivation.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KeyDerivation.Parameters.FullBytes, &kdf); err != nil {
		return nil, errors.New("malformed PBKDF2 parameters")
	}
	if kdf.Iterations < 1 || kdf.Iterations > maxPBKDF2Iterations {
		return nil, fmt.Errorf("PBKDF2 with %d iterations", kdf.Iterations)
	}
	prf := func() hash.Hash { return sha1.New() }
	switch {
	case len(kdf.PRF.Algorithm) == 0 || kdf.PRF.Algorithm.Equal(oidHMACSHA1):
	case kdf.PRF.Algorithm.Equal(oidHMACSHA256):
		prf = sha256.New
	default:
		return nil, fmt.Errorf("PBKDF2 PRF %v: want HMAC-SHA1 or HMAC-SHA256", kdf.PRF.Algorithm)
	}
	var keyLen int
	var newCipher func([]byte) (cipher.Block, error)
	switch alg := params.Encryption.Algorithm; {
	case alg.Equal(oidAES128CBC):
		keyLen, newCipher = 16, aes.NewCipher
	case alg.Equal(oidAES192CBC):
		keyLen, newCipher = 24, aes.NewCipher
	case alg.Equal(oidAES256CBC):
		keyLen, newCipher = 32, aes.NewCipher
	case alg.Equal(oidDESEDE3CBC):
		keyLen, newCipher = 24, des.NewTripleDESCipher
	default:
		return nil, fmt.Errorf("cipher %v: want AES-CBC or DES-EDE3-CBC", alg)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Encryption.Parameters.FullBytes, &iv); err != nil {
		return nil, errors.New("malformed cipher IV")
	}
	key, err := pbkdf2.Key(prf, string(passphrase), kdf.Salt, kdf.Iterations, keyLen)
	if err != nil {
		return nil, err
	}
	block, err := newCipher(key)
	if err != nil {
		return nil, err
	}
	data := info.EncryptedData
	if len(iv) != block.BlockSize() || len(data) == 0 || len(data)%block.BlockSize() != 0 {
		return nil, errors.New("malformed ciphertext")
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, data)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > block.BlockSize() || pad > len(plain) {
		return nil, errors.New("wrong passphrase (bad padding)")
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, errors.New("wrong passphrase (bad padding)")
		}
	}
	return plain[:len(plain)-pad], nil
}

// pbkdf2Iterations is what MarshalPrivateKey asks of PBKDF2-HMAC-SHA256 (OWASP's 2023 figure).
const pbkdf2Iterations = 600_000

// MarshalPrivateKey writes key as PEM PKCS#8: "PRIVATE KEY", or with a passphrase "ENCRYPTED PRIVATE
// KEY" (PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, which openssl and Node's crypto read).
func MarshalPrivateKey(key *rsa.PrivateKey, passphrase string) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	if passphrase == "" {
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
	}
	salt := make([]byte, 16)
	iv := make([]byte, aes.BlockSize)
	rand.Read(salt)
	rand.Read(iv)
	aesKey, err := pbkdf2.Key(sha256.New, passphrase, salt, pbkdf2Iterations, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(der)%aes.BlockSize
	plain := append(append([]byte(nil), der...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	enc := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(enc, plain)
	type algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	raw := func(v any) asn1.RawValue {
		b, _ := asn1.Marshal(v)
		return asn1.RawValue{FullBytes: b}
	}
	kdf := struct {
		Salt       []byte
		Iterations int
		KeyLength  int
		PRF        algorithm
	}{salt, pbkdf2Iterations, 32, algorithm{Algorithm: oidHMACSHA256, Parameters: asn1.NullRawValue}}
	params := struct {
		KeyDerivation algorithm
		Encryption    algorithm
	}{algorithm{oidPBKDF2, raw(kdf)}, algorithm{oidAES256CBC, raw(iv)}}
	out, err := asn1.Marshal(struct {
		Algorithm     algorithm
		EncryptedData []byte
	}{algorithm{oidPBES2, raw(params)}, enc})
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: out}), nil
}

// MarshalPublicKey writes key as PEM "PUBLIC KEY" (PKIX), the form Meta's key upload takes.
func MarshalPublicKey(key *rsa.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

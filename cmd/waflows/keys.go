// waflows keys generate: the business's RSA-2048 key pair for a flow's data endpoint, in PEM.
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/waflows/waflows/endpoint"
)

const keysHelp = "Writes private.pem (mode 0600; PKCS#8, encrypted with AES-256 when --passphrase is given) and\n" +
	"public.pem (PKIX) in --out. Upload public.pem for the phone number that sends the flow; keep\n" +
	"private.pem with the endpoint (endpoint.ParsePrivateKey reads it). Existing files are not overwritten."

// keysGenerate implements `waflows keys generate`.
func keysGenerate(ctx context.Context, args []string, std stdio) error {
	flags := newFlagSet("keys generate")
	out := flags.String("out", ".", "directory to write private.pem and public.pem in")
	passphrase := flags.String("passphrase", "", "encrypt the private key with this passphrase (default: $WAFLOWS_KEY_PASSPHRASE, else unencrypted)")
	if _, err := flags.parseArgs(args, std); err != nil {
		return err
	}
	if *passphrase == "" {
		*passphrase = os.Getenv("WAFLOWS_KEY_PASSPHRASE")
	}
	privPath, pubPath := filepath.Join(*out, "private.pem"), filepath.Join(*out, "public.pem")
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Stat(p); err == nil {
			return ioError{fmt.Errorf("%s exists: move it away first (a key pair in use is not overwritten)", p)}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ioError{err}
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return ioError{err}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	privPEM, err := endpoint.MarshalPrivateKey(key, *passphrase)
	if err != nil {
		return err
	}
	pubPEM, err := endpoint.MarshalPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := writeNew(privPath, privPEM, 0o600); err != nil {
		return ioError{err}
	}
	if err := writeNew(pubPath, pubPEM, 0o644); err != nil {
		os.Remove(privPath)
		return ioError{err}
	}
	enc := "unencrypted"
	if *passphrase != "" {
		enc = "encrypted with the passphrase"
	}
	fmt.Fprintf(std.out, "wrote %s (RSA-2048, PKCS#8, %s, mode 0600) and %s\n\n", privPath, enc, pubPath)
	fmt.Fprintf(std.out, "Upload the public key for the phone number that sends the flow (Meta: POST /{phone-number-id}/whatsapp_business_encryption):\n\n")
	fmt.Fprintf(std.out, "  curl -X POST \"$WAFLOWS_BASE_URL/$PHONE_NUMBER_ID/whatsapp_business_encryption\" \\\n")
	fmt.Fprintf(std.out, "    -H \"Authorization: Bearer $WAFLOWS_TOKEN\" --data-urlencode \"business_public_key@%s\"\n\n", pubPath)
	fmt.Fprintf(std.out, "Keep %s with the endpoint: endpoint.ParsePrivateKey(pem, passphrase) reads it.\n", privPath)
	return nil
}

// writeNew writes a file that must not exist yet, with mode perm, and syncs it.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

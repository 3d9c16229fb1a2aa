// Command endpoint is a complete WhatsApp Flows data endpoint for the two-screen appointment flow in
// flow.json, built on github.com/waflows/waflows/endpoint. Copy it, replace appointments with your own
// steps, and check it with `waflows endpoint check`:
//
//	waflows keys generate --out keys
//	APP_SECRET=… go run ./examples/endpoint --private-key keys/private.pem
//	waflows endpoint check http://127.0.0.1:3000 --public-key keys/public.pem --app-secret … --flow examples/endpoint/flow.json
//
// Flags: --addr (127.0.0.1:3000), --private-key (PEM; PKCS#1, PKCS#8, or encrypted with the passphrase
// in $PRIVATE_KEY_PASSPHRASE), --self-signed FILE (serve HTTPS with a fresh certificate for 127.0.0.1 and
// localhost, written to FILE for `waflows serve --endpoint-ca` and `waflows endpoint check --ca`: flows
// need an https endpoint_uri). The app secret of the Meta app linked to the flow comes from $APP_SECRET,
// and $PREVIOUS_APP_SECRET during a rotation.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/waflows/waflows/endpoint"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "address to listen on")
	keyFile := flag.String("private-key", "private.pem", "the business private key (PEM)")
	selfSigned := flag.String("self-signed", "", "serve HTTPS with a fresh self-signed certificate, written to this file")
	flag.Parse()
	pemBytes, err := os.ReadFile(*keyFile)
	if err != nil {
		fail(err)
	}
	key, err := endpoint.ParsePrivateKey(pemBytes, os.Getenv("PRIVATE_KEY_PASSPHRASE"))
	if err != nil {
		fail(err)
	}
	secret := os.Getenv("APP_SECRET")
	if secret == "" {
		fail(fmt.Errorf("set APP_SECRET to the app secret of the Meta app linked to the flow"))
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv := &http.Server{
		Addr:              *addr,
		Handler:           newHandler(key, secret, os.Getenv("PREVIOUS_APP_SECRET"), log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second, // WhatsApp gives up after 10 s anyway
		WriteTimeout:      10 * time.Second,
	}
	if *selfSigned == "" {
		log.Info("serving the data endpoint", "url", "http://"+*addr)
		fail(srv.ListenAndServe())
	}
	cert, err := selfSignedCert(*selfSigned)
	if err != nil {
		fail(err)
	}
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	log.Info("serving the data endpoint", "url", "https://"+*addr, "certificate", *selfSigned)
	fail(srv.ListenAndServeTLS("", ""))
}

// selfSignedCert makes a certificate for 127.0.0.1 and localhost, valid for 30 days, and writes it (not
// its key) to path in PEM.
func selfSignedCert(path string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "waflows example endpoint"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:    []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "endpoint:", err)
	os.Exit(1)
}

// newHandler is the endpoint: NewHandler checks the signature (432), decrypts (421), answers health checks
// and error notifications, and passes the flow's own requests to appointments.
func newHandler(key *rsa.PrivateKey, secret, previous string, log *slog.Logger) http.Handler {
	return endpoint.NewHandler(endpoint.Config{
		PrivateKey:        key,
		AppSecret:         secret,
		PreviousAppSecret: previous,
		Handle:            appointments,
		Logger:            log,
		OnErrorNotification: func(_ context.Context, req *endpoint.Request) {
			log.Warn("the client reported an error", "screen", req.Screen, "data", req.Data)
		},
	})
}

// days is what the business offers; a real endpoint asks its calendar.
var days = map[string]string{"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday"}

// appointments answers the flow's requests: INIT opens APPOINTMENT with the free days, the day chosen
// there leads to CONFIRM, and Book on CONFIRM completes the flow.
func appointments(_ context.Context, req *endpoint.Request) (*endpoint.Response, error) {
	switch {
	case req.Action == endpoint.ActionInit:
		return endpoint.NextScreen("APPOINTMENT", map[string]any{"dates": dayOptions()}), nil
	case req.Action == endpoint.ActionBack:
		return endpoint.NextScreen("APPOINTMENT", map[string]any{"dates": dayOptions()}), nil
	case req.Action == endpoint.ActionDataExchange && req.Screen == "APPOINTMENT":
		date, _ := req.Data["date"].(string)
		if days[date] == "" {
			return endpoint.NextScreen("APPOINTMENT", map[string]any{"dates": dayOptions()}).
				WithErrorMessage("That day is no longer free; pick another."), nil
		}
		return endpoint.NextScreen("CONFIRM", map[string]any{"summary": days[date] + " at 9:00", "date": date}), nil
	case req.Action == endpoint.ActionDataExchange && req.Screen == "CONFIRM":
		// Book the visit here; the params reach your webhook as the completion's response_json.
		return endpoint.Complete(req.FlowToken, map[string]any{"date": req.Data["date"]}), nil
	}
	return nil, fmt.Errorf("unexpected %s on screen %q", req.Action, req.Screen)
}

func dayOptions() []any {
	out := []any{}
	for _, id := range []string{"mon", "tue", "wed"} {
		out = append(out, map[string]any{"id": id, "title": days[id]})
	}
	return out
}

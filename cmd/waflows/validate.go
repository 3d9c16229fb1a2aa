package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/waflows/waflows/flowjson"
)

// errInvalid marks a run in which some file has validation errors (exit status 1).
var errInvalid = errors.New("validation errors")

// validate implements `waflows validate [--json] FILE...`: each file's errors as compiler-style lines, or
// with --json each file's validation_errors array exactly as the API returns it, one array per line.
func validate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print each file's validation_errors array as the API returns it, one line per file")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: waflows validate [--json] FILE...   (- reads standard input)\n\nExit status: 0 all valid, 1 validation errors, 2 usage or I/O errors.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("validate needs at least one file (or - for standard input)")}
	}
	invalid, total := 0, 0
	for _, name := range fs.Args() {
		data, display, err := readInput(ctx, name, stdin)
		if err != nil {
			return err
		}
		if len(data) > flowjson.MaxSize {
			return fmt.Errorf("%s: %d bytes; Meta accepts at most %d bytes (10 MB)", display, len(data), flowjson.MaxSize)
		}
		errs, err := flowjson.ValidateContext(ctx, data)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			invalid++
			total += len(errs)
		}
		if *asJSON {
			if err := writeErrorsJSON(stdout, errs); err != nil {
				return err
			}
			continue
		}
		for _, e := range errs {
			fmt.Fprintf(stdout, "%s:%d:%d: %s: %s", display, e.LineStart, e.ColumnStart, e.Error, e.Message)
			if len(e.Pointers) > 0 {
				fmt.Fprintf(stdout, " (%s)", e.Pointers[0])
			}
			fmt.Fprintln(stdout)
		}
	}
	if invalid > 0 {
		if !*asJSON {
			fmt.Fprintf(stderr, "%d error(s) in %d of %d file(s)\n", total, invalid, fs.NArg())
		}
		return errInvalid
	}
	return nil
}

// readInput reads a file, or standard input for "-", until ctx ends.
func readInput(ctx context.Context, name string, stdin io.Reader) ([]byte, string, error) {
	if name == "-" {
		data, err := readAllContext(ctx, stdin)
		if err != nil {
			return nil, "<stdin>", fmt.Errorf("read standard input: %w", err)
		}
		return data, "<stdin>", nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, name, err
	}
	defer f.Close()
	data, err := readAllContext(ctx, f)
	if err != nil {
		return nil, name, fmt.Errorf("read %s: %w", name, err)
	}
	return data, name, nil
}

// readAllContext reads up to one byte more than flowjson.MaxSize from r, giving up when ctx ends: a read
// from a terminal or a pipe cannot be interrupted, so it runs aside and is abandoned.
func readAllContext(ctx context.Context, r io.Reader) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := io.ReadAll(io.LimitReader(r, flowjson.MaxSize+1))
		done <- result{data, err}
	}()
	select {
	case res := <-done:
		return res.data, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// writeErrorsJSON writes errs as one compact JSON array and a newline, byte for byte as the server's
// validation_errors (no HTML escaping).
func writeErrorsJSON(w io.Writer, errs []flowjson.ValidationError) error {
	if errs == nil {
		errs = []flowjson.ValidationError{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(errs); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

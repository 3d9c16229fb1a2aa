package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/waflows/waflows/flowjson"
)

// validate implements `waflows validate [--strict] [--json [--with-warnings]] FILE...`: each file's errors
// and warnings (merged in position order) as compiler-style lines, or with --json each file's
// validation_errors array exactly as the API returns it, one array per line (with --with-warnings, an
// object holding that array and the warnings). Errors make the exit status 1; warnings do only with
// --strict.
func validate(ctx context.Context, args []string, std stdio) error {
	stdin, stdout, stderr := std.in, std.out, std.err
	fs := newFlagSet("validate")
	asJSON := fs.Bool("json", false, "print each file's validation_errors array as the API returns it, one line per file")
	withWarnings := fs.Bool("with-warnings", false, `with --json, print {"validation_errors":[…],"warnings":[…]} per file instead`)
	strict := fs.Bool("strict", false, "exit 1 on warnings too (text Meta truncates, items it does not render, images it replaces)")
	files, err := fs.parseArgs(args, std)
	if err != nil {
		return err
	}
	if *withWarnings && !*asJSON {
		return fs.fail("--with-warnings goes with --json")
	}
	failed, withErrors, errCount, warnCount := 0, 0, 0, 0
	for _, name := range files {
		data, display, err := readInput(ctx, name, stdin)
		if err != nil {
			return err
		}
		if err := checkSize(display, data); err != nil {
			// Like a file with errors (exit status 1), and the other files are still checked; said on
			// standard error, so that --json's lines stay one array per file read.
			fmt.Fprintf(stderr, "%v\n", err)
			failed++
			withErrors++
			errCount++
			continue
		}
		res, err := flowjson.AnalyzeContext(ctx, data)
		if err != nil {
			return err
		}
		errCount += len(res.Errors)
		warnCount += len(res.Warnings)
		if len(res.Errors) > 0 {
			withErrors++
		}
		if len(res.Errors) > 0 || *strict && len(res.Warnings) > 0 {
			failed++
		}
		if *asJSON {
			var v any = res.Errors
			if *withWarnings {
				v = struct {
					Errors   []flowjson.ValidationError `json:"validation_errors"`
					Warnings []flowjson.ValidationError `json:"warnings"`
				}{res.Errors, res.Warnings}
			}
			if err := writeJSONLine(stdout, v); err != nil {
				return err
			}
			continue
		}
		printFindings(stdout, display, res)
	}
	if !*asJSON && errCount+warnCount > 0 {
		summary := fmt.Sprintf("%d error(s) in %d of %d file(s)", errCount, withErrors, len(files))
		if warnCount > 0 {
			summary += fmt.Sprintf(", %d warning(s)", warnCount)
		}
		fmt.Fprintln(stderr, summary)
	}
	if failed > 0 {
		return errInvalid
	}
	return nil
}

// printFindings prints a file's errors and warnings as compiler-style lines, in position order:
// FILE:LINE:COL: CODE: message (path), and FILE:LINE:COL: warning: CODE: message (path).
func printFindings(w io.Writer, display string, res flowjson.Result) {
	all := append(append([]flowjson.ValidationError(nil), res.Errors...), res.Warnings...)
	slices.SortStableFunc(all, func(x, y flowjson.ValidationError) int {
		return cmp.Or(cmp.Compare(x.LineStart, y.LineStart), cmp.Compare(x.ColumnStart, y.ColumnStart))
	})
	for _, e := range all {
		kind := ""
		if e.ErrorType == flowjson.ErrorTypeWarning {
			kind = "warning: "
		}
		fmt.Fprintf(w, "%s:%d:%d: %s%s: %s", display, e.LineStart, e.ColumnStart, kind, e.Error, e.Message)
		if len(e.Pointers) > 0 {
			fmt.Fprintf(w, " (%s)", e.Pointers[0])
		}
		fmt.Fprintln(w)
	}
}

// readInput reads a file, or standard input for "-", until ctx ends. Failures are local I/O errors
// (ioError), named once: os already says "open FILE: …" or "read FILE: …".
func readInput(ctx context.Context, name string, stdin io.Reader) ([]byte, string, error) {
	if name == "-" {
		data, err := readAllContext(ctx, stdin)
		if err != nil && ctx.Err() == nil {
			return nil, "<stdin>", ioError{fmt.Errorf("read standard input: %w", err)}
		}
		return data, "<stdin>", err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, name, ioError{err}
	}
	defer f.Close()
	data, err := readAllContext(ctx, f)
	var pathErr *os.PathError
	switch {
	case err == nil, ctx.Err() != nil:
	case errors.As(err, &pathErr):
		err = ioError{err}
	default:
		err = ioError{fmt.Errorf("read %s: %w", name, err)}
	}
	return data, name, err
}

// errTooLarge is a file over Meta's 10 MB limit: Meta's verdict on it, so exit status 1.
var errTooLarge = fmt.Errorf("over 10 MB (%d bytes), the most Meta accepts", flowjson.MaxSize)

// checkSize refuses a file over Meta's 10 MB limit before anything reads it as JSON.
func checkSize(display string, data []byte) error {
	if len(data) > flowjson.MaxSize {
		return fmt.Errorf("%s: %w", display, errTooLarge)
	}
	return nil
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

// writeJSONLine writes v as one compact JSON line, byte for byte as the server writes validation_errors
// (no HTML escaping).
func writeJSONLine(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

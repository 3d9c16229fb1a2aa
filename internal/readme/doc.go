// Package readme holds no code: its test keeps README.md and docs/ true to the code. It builds every Go
// snippet in them as a user's module would (each is a whole file), runs the quick-start program, the
// curl walk-through (twice in a row) and the CI recipe against real servers, and checks that their links
// lead somewhere.
package readme

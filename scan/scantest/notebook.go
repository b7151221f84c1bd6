package scantest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
)

// FakeAWSSecret returns a made-up AWS secret access key: 40 characters of
// the base64 alphabet, mixed case with digits, drawn from seed. Built at
// run time so the repository holds no key-shaped literal.
func FakeAWSSecret(seed uint64) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	r := rand.New(rand.NewPCG(seed, 17))
	b := make([]byte, 40)
	for i := range b {
		b[i] = alpha[r.IntN(len(alpha))]
	}
	// Classes the secret rules expect, at fixed places.
	b[3], b[11], b[23] = 'Q', 'k', '7'
	return string(b)
}

// Notebook returns a Jupyter notebook (nbformat 4, indented as Jupyter
// writes it) with one code cell whose source is cell, split into lines.
// Quotes in the cell come out JSON-escaped, as they do in real notebooks.
func Notebook(cell string) []byte {
	nb := map[string]any{
		"cells": []any{
			map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": []string{"# Data load\n"}},
			map[string]any{"cell_type": "code", "execution_count": 1, "metadata": map[string]any{}, "outputs": []any{},
				"source": strings.SplitAfter(cell, "\n")},
		},
		"metadata": map[string]any{}, "nbformat": 4, "nbformat_minor": 5,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		panic(err) // only maps, strings and numbers
	}
	return buf.Bytes()
}

// NotebookAWSCell is a notebook cell that passes an AWS secret key to
// boto3: in the notebook's bytes the quotes around it are escaped (\"),
// so only the joined, unescaped cell shows the assignment.
func NotebookAWSCell(secret string) string {
	return "import boto3\n" + `s3 = boto3.client("s3", aws_secret_access_key="` + secret + `")` + "\n"
}

// Position returns the 1-based line and byte column of the first s in
// data, as findings report them (0, 0 when s is not there).
func Position(data []byte, s string) (line, col int) {
	off := bytes.Index(data, []byte(s))
	if off < 0 {
		return 0, 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1, off - bytes.LastIndexByte(data[:off], '\n')
}

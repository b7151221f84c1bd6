// Package content is the one place bytes become text for the engine. Every
// source hands it named readers; it applies the size caps, sniffs binary
// data, opens archives (zip, tar, gzip, by their bytes, nested up to a
// depth) and compressed streams under one decompression guard, lets a
// file-kind extractor turn structured files into text, and scans each
// piece, mapping positions back to the raw bytes. NewSource builds a whole
// scan.Source from a Lister and an Opener, so a new kind of input is a page
// of code.
package content

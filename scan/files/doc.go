// Package files is the filesystem source: directories, single files,
// standard input, and archives (zip, tar, tar.gz, gz) nested up to a depth
// and total-size cap, reported as archive.zip!inner/path.
package files

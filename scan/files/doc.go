// Package files is the filesystem source: directories, single files,
// standard input, and archives (zip, tar, tar.gz, gz) nested up to a depth
// and total-size cap, reported as archive.zip!inner/path. It is a lister
// (the shared scan.Walker over the paths) and an opener handed to
// content.NewSource; the content stage does the reading.
package files

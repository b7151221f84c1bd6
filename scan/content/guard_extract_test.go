package content

import "testing"

type panicking struct{}

func (panicking) Match(string, []byte) bool { return true }

func (panicking) Extract([]byte) ([]Piece, error) {
	var m map[string]int
	m["boom"]++ // a nil map write: the kind of defect fuzzing may miss
	return nil, nil
}

// An extractor that panics costs its file the structure-aware pass only:
// the stage gets an error, and the process goes on.
func TestExtractorPanicIsContained(t *testing.T) {
	pieces, err := safeExtract(panicking{}, []byte("key: value\n"))
	if err == nil || pieces != nil {
		t.Fatalf("safeExtract = %v, %v; want no pieces and an error", pieces, err)
	}
}

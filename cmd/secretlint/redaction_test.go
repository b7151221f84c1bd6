package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// awsSecretKey returns a 40-character AWS secret access key.
func awsSecretKey(seed uint64) string {
	r := rng(seed)
	return r.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 40)
}

// TestFreeTextRedaction runs the git and image commands in every format
// over inputs that put secrets in free-text fields (a commit message, an
// image history entry) and requires that no output holds a raw value
// unless --show-secrets is given.
func TestFreeTextRedaction(t *testing.T) {
	// A repository whose commit message holds secrets no finding reports,
	// on the commit that adds a file with another secret.
	msgPAT, msgAWS := githubPAT(71), awsSecretKey(72)
	repo := newGitRepo(t)
	repo.write("app/settings.py", "AWS_KEY = \""+awsKeyID(73)+"\"\n")
	repo.commit("add settings, token " + msgPAT + " aws_secret_access_key=" + msgAWS)

	// An image tarball whose history holds a token in the entry that
	// created the layer with a secret file.
	histPAT, histAWS := githubPAT(74), awsSecretKey(75)
	layer := imageLayer(t, map[string]string{"srv/creds.ini": "key=" + imageAWSKey(76) + "\n"})
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: layer, History: v1.History{
		CreatedBy: "/bin/sh -c echo " + histPAT + " > /srv/t && export AWS_SECRET_ACCESS_KEY=" + histAWS,
	}})
	if err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(t.TempDir(), "img.tar")
	if err := tarball.WriteToFile(tarPath, nil, img); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name    string
		args    []string
		secrets []string
	}{
		{"git", []string{"git", repo.dir}, []string{msgPAT, msgAWS}},
		{"image", []string{"image", tarPath}, []string{histPAT, histAWS}},
	} {
		for _, format := range []string{"text", "json", "jsonl", "sarif", "junit", "csv"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "report")
				args := append([]string{tc.args[0], "--format", format, "-o", out}, tc.args[1:]...)
				res := runCLI(t, cliOpts{}, args...)
				if res.code != exitFindings {
					t.Fatalf("exit %d, want %d; stderr:\n%s", res.code, exitFindings, res.stderr)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				res2 := runCLI(t, cliOpts{}, append([]string{tc.args[0], "--format", format}, tc.args[1:]...)...)
				all := string(data) + res.stdout + res.stderr + res2.stdout + res2.stderr
				for _, s := range tc.secrets {
					if strings.Contains(all, s) {
						t.Errorf("raw secret %s in the %s output:\n%s", s[:4], format, all)
					}
				}

				shown := runCLI(t, cliOpts{}, append([]string{tc.args[0], "--format", format, "--show-secrets"}, tc.args[1:]...)...)
				if format == "junit" || format == "csv" || (format == "text" && tc.name == "image") {
					return // they print neither commit messages nor history entries
				}
				for _, s := range tc.secrets {
					if !strings.Contains(shown.stdout, s) {
						t.Errorf("--show-secrets: %s missing from the %s output", s[:4], format)
					}
				}
			})
		}
	}
}

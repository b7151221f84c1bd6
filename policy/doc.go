// Package policy checks how secrets are delivered: the .env, Truss, MLflow,
// Dockerfile, Kubernetes, CI and IAM files that carry or grant access to
// credentials. Each check reports scan.Findings with its own rule id, a
// message saying what is wrong and a one-sentence fix; checks never print.
//
// Every structured format is read with a real parser (gopkg.in/yaml.v3,
// encoding/json, the BuildKit Dockerfile parser, hashicorp/hcl/v2 and
// mvdan.cc/sh for CI shell steps). A file that does not parse is an input
// error for that file; the rest of the run goes on.
package policy

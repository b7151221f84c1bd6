package policy

import (
	"strconv"
	"strings"
)

// origin is the kind of place that sets an environment variable. Every
// env-set check (mlflow-*, truss-secret-prefix) runs on the sets of every
// origin alike; the origin only names the place in messages and tests.
type origin string

const (
	originDotenv     origin = "dotenv"         // .env, .env.local, an EnvironmentFile
	originDockerfile origin = "dockerfile"     // ENV in one build stage
	originCompose    origin = "compose"        // a compose service's environment
	originK8s        origin = "kubernetes"     // a container's env and envFrom ConfigMaps
	originECS        origin = "ecs"            // an ECS container definition
	originTruss      origin = "truss"          // Truss environment_variables
	originShell      origin = "shell"          // export, set -a, X=… cmd in a shell script
	originGitHub     origin = "github-actions" // env: of a workflow, job and step
	originGitLab     origin = "gitlab-ci"      // variables: of a pipeline and job
	originSystemd    origin = "systemd"        // Environment= and EnvironmentFile= of a unit
	originHelm       origin = "helm-values"    // env: and extraEnv: in Helm values
	originPython     origin = "python"         // os.environ[…] = … and os.environ.setdefault
)

// envFile is another file of the tree a variable comes from (a ConfigMap,
// an EnvironmentFile): its findings are reported there, at the line that
// sets the variable, and its allow markers apply.
type envFile struct {
	path string
	data []byte
}

// addVar records a finding about a variable at the line that sets it, in
// the file that sets it. One variable yields one finding per check even
// when several sets share it (a workflow env: seen by every step, a
// ConfigMap loaded by several containers); the first set names it.
func (r *report) addVar(id string, v envVar, subject, secret, msg string) {
	key := id + "\x00" + v.Name + "\x00" + strconv.Itoa(v.Line) + ":" + strconv.Itoa(v.Col)
	if v.From != nil {
		key += "\x00" + v.From.path
	}
	if r.seenVar == nil {
		r.seenVar = map[string]bool{}
	}
	if r.seenVar[key] {
		return
	}
	r.seenVar[key] = true
	if v.From == nil || v.From.path == r.path {
		r.add(id, v.Line, v.Col, subject, secret, msg)
		return
	}
	other := &report{path: v.From.path, disabled: r.disabled, severity: r.severity, data: v.From.data, key: r.key}
	other.add(id, v.Line, v.Col, subject, secret, msg+" (set here, used by "+r.path+")")
	for _, f := range other.findings {
		r.findings = append(r.findings, f)
		r.objects = append(r.objects, r.object)
	}
}

// literalValue reports whether a value set in a configuration file is data
// rather than a reference to something set elsewhere.
func literalValue(v string) bool {
	return !isReference(v) && !strings.Contains(v, "${{")
}

package policy

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/secretlint/secretlint/rules"
)

// podSpec returns the pod spec of a workload object and the key node that
// holds it: Pods, the built-in controllers, CronJobs, and any kind with a
// pod template (Argo Rollouts, Knative Services, operators' CRDs).
func podSpec(doc *yaml.Node, kind string) (spec, key *yaml.Node) {
	switch kind {
	case "Pod":
		return get(doc, "spec"), keyNode(doc, "spec")
	case "CronJob":
		t := dig(doc, "spec", "jobTemplate", "spec", "template")
		return get(t, "spec"), keyNode(t, "spec")
	}
	t := dig(doc, "spec", "template")
	if s := get(t, "spec"); s != nil && get(s, "containers") != nil {
		return s, keyNode(t, "spec")
	}
	return nil, nil
}

// extraPodSpecs returns pod-spec-shaped components of ML serving custom
// resources: KServe InferenceService predictor, transformer and explainer.
func extraPodSpecs(doc *yaml.Node, kind string) (specs, keys []*yaml.Node) {
	if kind != "InferenceService" {
		return nil, nil
	}
	spec := get(doc, "spec")
	for _, c := range []string{"predictor", "transformer", "explainer"} {
		if s := get(spec, c); s != nil && s.Kind == yaml.MappingNode {
			specs, keys = append(specs, s), append(keys, keyNode(spec, c))
		}
	}
	return specs, keys
}

// quietServiceAccounts returns the ServiceAccounts in the documents that
// set automountServiceAccountToken: false; pods using them get no token
// unless they ask for one.
func quietServiceAccounts(docs []*yaml.Node) map[string]bool {
	out := map[string]bool{}
	for _, d := range docs {
		for _, doc := range k8sDocs(d) {
			if k, _ := str(get(doc, "kind")); k != "ServiceAccount" {
				continue
			}
			if v, _ := str(get(doc, "automountServiceAccountToken")); v == "false" {
				name, _ := str(dig(doc, "metadata", "name"))
				out[name] = true
			}
		}
	}
	return out
}

// k8sDocs expands List objects into their items.
func k8sDocs(doc *yaml.Node) []*yaml.Node {
	kind, _ := str(get(doc, "kind"))
	if _, ok := str(get(doc, "apiVersion")); !ok || kind == "" {
		return nil
	}
	if strings.HasSuffix(kind, "List") {
		var out []*yaml.Node
		for _, it := range items(get(doc, "items")) {
			out = append(out, k8sDocs(it)...)
		}
		return out
	}
	return []*yaml.Node{doc}
}

func (r *runner) checkK8s(rep *report, d *yaml.Node, isJSON bool) {
	rep.rbac.collect(d, rep.path)
	defer func() { rep.object = "" }()
	for _, doc := range k8sDocs(d) {
		kind, _ := str(get(doc, "kind"))
		name, _ := str(dig(doc, "metadata", "name"))
		if name == "" {
			if g, ok := str(dig(doc, "metadata", "generateName")); ok {
				name = g + "*"
			}
		}
		ns, _ := str(dig(doc, "metadata", "namespace"))
		obj := kind + "/" + name
		rep.object = kind + "/" + ns + "/" + name
		rep.namespace = ns
		if kind == "Secret" {
			r.checkSecretObject(rep, doc, obj)
			continue
		}
		specs, keys := extraPodSpecs(doc, kind)
		if spec, key := podSpec(doc, kind); spec != nil {
			specs, keys = append(specs, spec), append(keys, key)
		}
		for i, spec := range specs {
			if spec.Kind == yaml.MappingNode {
				r.checkPodSpec(rep, spec, keys[i], obj, ns, isJSON)
			}
		}
	}
}

func (r *runner) checkPodSpec(rep *report, spec, key *yaml.Node, obj, ns string, isJSON bool) {
	r.checkToken(rep, spec, key, obj, ns)
	for _, field := range []string{"initContainers", "containers", "ephemeralContainers"} {
		for _, c := range items(get(spec, field)) {
			r.checkContainer(rep, c, obj)
		}
	}
	for _, v := range items(get(spec, "volumes")) {
		r.checkVolume(rep, v, obj, isJSON)
	}
}

// checkToken reports a pod spec whose service-account token matters for
// secrets: the spec asks for the token explicitly (automountServiceAccountToken:
// true, or a projected serviceAccountToken for the API server), or it gets
// the default token and the tree binds its account to a role that can read
// Secrets. The second case is decided once the whole tree has been read.
func (r *runner) checkToken(rep *report, spec, key *yaml.Node, obj, ns string) {
	v, set := str(get(spec, "automountServiceAccountToken"))
	if set && v == "false" {
		return
	}
	sa, _ := str(get(spec, "serviceAccountName"))
	if sa == "" {
		sa, _ = str(get(spec, "serviceAccount"))
	}
	if sa == "" {
		sa = "default"
	}
	if set {
		at := keyNode(spec, "automountServiceAccountToken")
		rep.add("k8s-sa-token-automount", at.Line, at.Column, obj+":"+key.Value, "",
			fmt.Sprintf("%s asks for a token of ServiceAccount %s (automountServiceAccountToken: %s)", obj, sa, v))
		return
	}
	if at := projectedAPIToken(spec); at != nil {
		rep.add("k8s-sa-token-automount", at.Line, at.Column, obj+":"+key.Value, "",
			fmt.Sprintf("%s mounts a token of ServiceAccount %s for the Kubernetes API through a projected serviceAccountToken volume", obj, sa))
		return
	}
	if rep.quietSA[sa] {
		return
	}
	n := len(rep.findings)
	rep.add("k8s-sa-token-automount", key.Line, key.Column, obj+":"+key.Value, "", "")
	if len(rep.findings) > n {
		rep.pending = append(rep.pending, pendingToken{finding: n, sa: saName{ns: ns, name: sa}, obj: obj})
	}
}

// projectedAPIToken returns the serviceAccountToken source of a projected
// volume whose token is meant for the API server (no audience, or the
// API's own), or nil. A token for another audience (Vault, a cloud's
// workload identity) is rejected by the API server.
func projectedAPIToken(spec *yaml.Node) *yaml.Node {
	for _, v := range items(get(spec, "volumes")) {
		for _, src := range items(dig(v, "projected", "sources")) {
			t := get(src, "serviceAccountToken")
			if t == nil {
				continue
			}
			aud, _ := str(get(t, "audience"))
			if aud == "" || strings.HasPrefix(aud, "https://kubernetes.default") {
				return keyNode(src, "serviceAccountToken")
			}
		}
	}
	return nil
}

// resolveTokens settles the pending token findings of the reports against
// the RBAC facts of the whole tree: those whose account can read Secrets
// get a message naming the grant; the others are dropped.
func resolveTokens(reps []*report, facts *rbacFacts) {
	for _, rep := range reps {
		if len(rep.pending) == 0 {
			continue
		}
		drop := map[int]bool{}
		for _, p := range rep.pending {
			why := facts.secretAccess(p.sa, path.Dir(rep.path))
			if why == "" {
				drop[p.finding] = true
				continue
			}
			rep.findings[p.finding].Message = fmt.Sprintf("%s mounts the token of ServiceAccount %s, and %s; anything running in the pod can read them", p.obj, p.sa.name, why)
		}
		rep.pending = nil
		if len(drop) == 0 {
			continue
		}
		keep, objs := rep.findings[:0], rep.objects[:0]
		for i, f := range rep.findings {
			if !drop[i] {
				keep, objs = append(keep, f), append(objs, rep.objects[i])
			}
		}
		rep.findings, rep.objects = keep, objs
	}
}

func (r *runner) checkContainer(rep *report, c *yaml.Node, obj string) {
	cname, _ := str(get(c, "name"))
	what := fmt.Sprintf("container %s in %s", cname, obj)
	s := &envSet{What: what, Origin: originK8s, Line: c.Line, Col: c.Column}
	for _, e := range items(get(c, "env")) {
		name, _ := str(get(e, "name"))
		kn := keyNode(e, "name")
		if kn == nil {
			kn = e
		}
		ev := envVar{Name: name, Line: kn.Line, Col: kn.Column}
		if vf := get(e, "valueFrom"); vf != nil {
			if ref := get(vf, "configMapKeyRef"); ref != nil {
				r.configMapKeyRef(rep, s, &ev, ref, rep.namespace)
			}
			if sk := keyNode(vf, "secretKeyRef"); sk != nil {
				ev.FromSecret = true
				sname, _ := str(dig(vf, "secretKeyRef", "name"))
				skey, _ := str(dig(vf, "secretKeyRef", "key"))
				rep.add("k8s-secret-as-env", sk.Line, sk.Column, what+":env:"+name, "",
					fmt.Sprintf("%s reads Secret %s key %s into env var %s; environment variables leak through /proc, crash dumps and child processes", what, sname, skey, name))
			}
		} else {
			ev.Value, _ = str(get(e, "value"))
			ev.Literal = !isReference(ev.Value)
		}
		s.Vars = append(s.Vars, ev)
	}
	for _, ef := range items(get(c, "envFrom")) {
		r.envFrom(rep, s, ef, rep.namespace)
		if sr := keyNode(ef, "secretRef"); sr != nil {
			sname, _ := str(dig(ef, "secretRef", "name"))
			rep.add("k8s-secret-as-env", sr.Line, sr.Column, what+":envFrom:"+sname, "",
				fmt.Sprintf("%s loads every key of Secret %s as environment variables", what, sname))
		}
	}
	r.checkEnvSet(rep, s)
	for _, m := range items(get(c, "volumeMounts")) {
		if sp, ok := str(get(m, "subPath")); ok && strings.HasPrefix(lastElem(sp), "TRUSS_SECRET_") {
			n := get(m, "subPath")
			rep.add("truss-secret-prefix", n.Line, n.Column, what+":mount:"+sp, "",
				fmt.Sprintf("mounted secret file %q carries the TRUSS_SECRET_ prefix; Truss looks mounted secrets up by their plain name", sp))
		}
	}
}

func lastElem(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

func (r *runner) checkVolume(rep *report, v *yaml.Node, obj string, isJSON bool) {
	vname, _ := str(get(v, "name"))
	what := fmt.Sprintf("volume %s in %s", vname, obj)
	check := func(sec *yaml.Node, secKey *yaml.Node, defaultMode *yaml.Node, inherited bool) {
		if defaultMode == nil && !inherited {
			rep.add("k8s-secret-file-mode", secKey.Line, secKey.Column, what+":defaultMode", "",
				fmt.Sprintf("%s has no defaultMode, so its files get 0644 (readable by every user in the container)", what))
		} else if defaultMode != nil {
			r.checkMode(rep, defaultMode, what+":defaultMode", what+" defaultMode", isJSON)
		}
		for _, it := range items(get(sec, "items")) {
			if m := get(it, "mode"); m != nil {
				p, _ := str(get(it, "path"))
				r.checkMode(rep, m, what+":item:"+p, fmt.Sprintf("%s item %s mode", what, p), isJSON)
			}
			if p, ok := str(get(it, "path")); ok && strings.HasPrefix(lastElem(p), "TRUSS_SECRET_") {
				n := get(it, "path")
				rep.add("truss-secret-prefix", n.Line, n.Column, what+":path:"+p, "",
					fmt.Sprintf("mounted secret file %q carries the TRUSS_SECRET_ prefix; Truss looks mounted secrets up by their plain name", p))
			}
		}
	}
	if sec := get(v, "secret"); sec != nil {
		check(sec, keyNode(v, "secret"), get(sec, "defaultMode"), false)
	}
	if pr := get(v, "projected"); pr != nil {
		var secs, keys []*yaml.Node
		for _, src := range items(get(pr, "sources")) {
			if sec := get(src, "secret"); sec != nil {
				secs, keys = append(secs, sec), append(keys, keyNode(src, "secret"))
			}
		}
		if len(secs) == 0 {
			return
		}
		// The projected volume's defaultMode covers every source.
		check(secs[0], keys[0], get(pr, "defaultMode"), false)
		for i := 1; i < len(secs); i++ {
			check(secs[i], keys[i], nil, true)
		}
	}
}

// parseMode reads a file mode as Kubernetes does: YAML reads 0400 and 0o400
// as octal (256) but 400 as decimal; JSON has only decimal numbers.
func parseMode(s string, isJSON bool) (int64, bool) {
	s = strings.TrimSpace(s)
	if !isJSON {
		switch {
		case strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "0O"):
			v, err := strconv.ParseInt(s[2:], 8, 32)
			return v, err == nil
		case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
			v, err := strconv.ParseInt(s[2:], 16, 32)
			return v, err == nil
		case len(s) > 1 && s[0] == '0':
			v, err := strconv.ParseInt(s[1:], 8, 32)
			return v, err == nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 32)
	return v, err == nil
}

func (r *runner) checkMode(rep *report, n *yaml.Node, subject, what string, isJSON bool) {
	s, ok := str(n)
	if !ok {
		return
	}
	if isReference(s) || strings.Contains(s, "{{") {
		return
	}
	mode, ok := parseMode(s, isJSON)
	if !ok {
		rep.add("k8s-secret-file-mode", n.Line, n.Column, subject, "",
			fmt.Sprintf("%s %q is not a file mode", what, s))
		return
	}
	if mode&^0o440 == 0 {
		return
	}
	msg := fmt.Sprintf("%s is %s = %#o, wider than 0440", what, s, mode)
	if !isJSON && len(s) > 1 && s[0] != '0' && mode < 1000 && octalDigits(s) && !commonMode(mode) {
		// 420 and 384 are how generators write 0644 and 0600; 400 or 640
		// are an octal mode written without its leading 0.
		msg += fmt.Sprintf(" (YAML reads %s as decimal; write 0%s for octal)", s, s)
	}
	rep.add("k8s-secret-file-mode", n.Line, n.Column, subject, "", msg)
}

// identifierKey reports whether a Secret key names an identifier that goes
// with a credential (AWS_ACCESS_KEY_ID, username, endpoint), not the
// credential: committing it exposes nothing. A real key id that a rule
// knows (AKIA...) is still reported by the scan.
func identifierKey(k string) bool {
	k = strings.ToLower(strings.NewReplacer("-", "_", ".", "_").Replace(snakeCase(k)))
	switch k {
	case "user", "username", "user_name", "login", "email", "accesskey", "access_key", "endpoint", "url", "host", "region", "bucket",
		"db", "database", "dbname", "port", "namespace", "project", "dataset", "instance":
		return true
	}
	for _, suffix := range []string{"_id", "_user", "_username", "_endpoint", "_url", "_host", "_region",
		"_db", "_database", "_dbname", "_port", "_path", "_file", "_dir", "_namespace", "_project"} {
		if strings.HasSuffix(k, suffix) {
			return true
		}
	}
	return false
}

// snakeCase writes a camelCase key in snake case (rootUser is root_User),
// so one list of suffixes serves both spellings.
func snakeCase(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		if i > 0 && 'A' <= c && c <= 'Z' && 'a' <= k[i-1] && k[i-1] <= 'z' {
			b.WriteByte('_')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// demoDefault reports whether a value is a demo credential (rules.DemoPassword).
func demoDefault(v string) bool { return rules.DemoPassword([]byte(v)) }

func octalDigits(s string) bool {
	return strings.Trim(s, "01234567") == ""
}

// commonMode reports whether a mode is one people mean (0644, 0600, ...),
// so its decimal spelling is deliberate.
func commonMode(m int64) bool {
	switch m {
	case 0o400, 0o440, 0o444, 0o600, 0o640, 0o644, 0o660, 0o664, 0o666, 0o700, 0o750, 0o755, 0o770, 0o775, 0o777:
		return true
	}
	return false
}

// secretEntry is one key of a Secret's data or stringData, its value
// decoded.
type secretEntry struct {
	field string
	k, v  *yaml.Node
	val   string
}

func (r *runner) checkSecretObject(rep *report, doc *yaml.Node, obj string) {
	var entries []secretEntry
	for _, field := range []string{"data", "stringData"} {
		pairs(get(doc, field), func(k, v *yaml.Node) {
			val, ok := str(v)
			if !ok {
				return
			}
			if field == "data" {
				compact := strings.Join(strings.Fields(val), "")
				if dec, ok := rules.DecodeBase64([]byte(compact)); ok {
					val = string(dec)
				}
			}
			entries = append(entries, secretEntry{field, k, v, val})
		})
	}
	// The values of identifier keys (POSTGRES_USER: feast): a password
	// that repeats one is a demo login (feast/feast), not a secret.
	ids := map[string]bool{}
	for _, e := range entries {
		if identifierKey(e.k.Value) {
			ids[strings.TrimSpace(e.val)] = true
		}
	}
	for _, e := range entries {
		t := strings.TrimSpace(e.val)
		held := strings.Contains(t, "\n") || strings.Contains(e.val, "\n") && configSettingRE.MatchString(t)
		if held && !strings.HasPrefix(t, "-----BEGIN") {
			// A file held in the Secret (config.yaml: |, a .properties
			// file, even of one line): reported when one of its settings
			// is a credential.
			if key, ok := configCredential(t); ok {
				rep.add("k8s-plaintext-secret", e.v.Line, e.v.Column, obj+":"+e.k.Value, e.val,
					fmt.Sprintf("%s commits a file under key %s in %s whose %s is a credential (base64 is an encoding, not encryption)", obj, e.k.Value, e.field, key))
			}
			continue
		}
		if ids[t] || !plaintextCredential(e.k.Value, t) {
			continue
		}
		rep.add("k8s-plaintext-secret", e.v.Line, e.v.Column, obj+":"+e.k.Value, e.val,
			fmt.Sprintf("%s commits a value for key %s in %s (base64 is an encoding, not encryption)", obj, e.k.Value, e.field))
	}
}

// plaintextCredential reports whether value t, committed under key k of a
// Secret, is a credential rather than an identifier, a reference, a
// placeholder (password: password, client_secret: client_secret), a
// demo default, a file path or a public certificate.
func plaintextCredential(k, t string) bool {
	if t == "" || isReference(t) || strings.Contains(t, "{{") || rules.IsPlaceholder([]byte(t)) {
		return false
	}
	if strings.HasPrefix(t, "-----BEGIN") && !holdsPrivateKey([]byte(t)) {
		return false // a certificate (tls.crt, ca.crt) is public
	}
	if identifierKey(k) || demoDefault(t) || filePath(t) {
		return false
	}
	if u, err := url.Parse(t); err == nil && u.Scheme != "" && u.Host != "" && !strings.ContainsAny(t, " \t") {
		// An endpoint (AWS_ENDPOINT_URL_S3: http://minio:9000) is a
		// credential only with a password in it.
		p, ok := u.User.Password()
		return ok && plaintextCredential("password", p)
	}
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "", ".", "", " ", "").Replace(s))
	}
	return norm(t) != norm(k) && !secretWord[norm(t)]
}

// secretWord holds the names of credentials, which as a value stand where
// the real one goes (password: password).
var secretWord = map[string]bool{
	"password": true, "passwd": true, "pass": true, "pwd": true, "secret": true, "secretkey": true, "clientsecret": true,
	"token": true, "apitoken": true, "accesstoken": true, "apikey": true, "key": true, "privatekey": true, "credentials": true,
	"username": true, "user": true, "clientid": true,
	// and the words people put there in a sample (MYSQL_ROOT_PASSWORD: test).
	"test": true, "example": true, "sample": true, "dummy": true, "fake": true, "admin": true, "root": true, "demo": true,
}

// filePath reports whether t is an absolute file path (a CA bundle's
// location), which names a file rather than holding a secret.
func filePath(t string) bool {
	if !strings.HasPrefix(t, "/") || strings.ContainsAny(t, " \t:@") || len(t) < 2 {
		return false
	}
	return strings.Trim(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") == ""
}

// configSettingRE is one "key: value" or "key = value" line of a file held
// in a Secret.
var configSettingRE = regexp.MustCompile(`^\s*["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*["']?([^"'\s#]+)["']?,?\s*(?:#.*)?$`)

// credentialKeyRE names a setting that holds a credential.
var credentialKeyRE = regexp.MustCompile(`(?i)passw(?:or)?d|pwd|secret|token|api[_.-]?key|private[_.-]?key|credential|auth`)

// configCredential looks through a file held in a Secret for a setting
// whose name says credential and whose value is one, or a connection
// string with a password in it; it returns that setting's name.
func configCredential(t string) (string, bool) {
	for _, line := range strings.Split(t, "\n") {
		m := configSettingRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		k, v := m[1], m[2]
		if credentialKeyRE.MatchString(k) && plaintextCredential(k, v) {
			return k, true
		}
		if u, err := url.Parse(v); err == nil && u.User != nil {
			if p, ok := u.User.Password(); ok && plaintextCredential("password", p) {
				return k, true
			}
		}
	}
	return "", false
}

package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var ttlVar = regexp.MustCompile(`^MLFLOW_[A-Z0-9_]*TTL_SEC$`)

func falsy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off", "none", "disabled":
		return true
	}
	return false
}

// checkEnvSet runs the checks that look at one unit's environment: the
// mlflow-secrets-auth settings and Truss secret variable names.
func (r *runner) checkEnvSet(rep *report, s *envSet) {
	if len(s.pending) > 0 {
		rep.deferred = append(rep.deferred, deferredSet{set: s, object: rep.object})
		return
	}
	enable, ok := s.lookup("MLFLOW_SECRETS_AUTH_ENABLE")
	if ok && (!enable.Literal || !falsy(enable.Value)) {
		for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
			v, ok := s.lookup(name)
			if !ok || !v.set() {
				continue
			}
			secret := ""
			if v.Literal && name == "AWS_SECRET_ACCESS_KEY" {
				secret = v.Value
			}
			rep.addVar("mlflow-static-aws-keys", v, s.What+":"+name, secret,
				fmt.Sprintf("%s enables mlflow-secrets-auth and also sets %s, a long-lived access key", s.What, name))
		}
		hosts, ok := s.lookup("MLFLOW_SECRETS_ALLOWED_HOSTS")
		switch {
		case !ok && !s.Open:
			rep.addVar("mlflow-allowed-hosts", enable, s.What+":allowed-hosts", "",
				fmt.Sprintf("%s enables mlflow-secrets-auth without MLFLOW_SECRETS_ALLOWED_HOSTS, so the credential is sent to any host", s.What))
		case ok && hosts.Literal && strings.TrimSpace(hosts.Value) == "":
			rep.addVar("mlflow-allowed-hosts", hosts, s.What+":allowed-hosts", "",
				fmt.Sprintf("%s sets MLFLOW_SECRETS_ALLOWED_HOSTS empty, which allows every host", s.What))
		case ok && hosts.Literal:
			for _, h := range strings.Split(hosts.Value, ",") {
				if strings.TrimSpace(h) == "*" {
					rep.addVar("mlflow-allowed-hosts", hosts, s.What+":allowed-hosts", "",
						fmt.Sprintf("%s allows every host with a bare * in MLFLOW_SECRETS_ALLOWED_HOSTS", s.What))
					break
				}
			}
		}
	}
	for _, v := range s.Vars {
		if ttlVar.MatchString(v.Name) && v.Literal {
			r.checkTTL(rep, s, v)
		}
		if len(r.truss) > 0 && !strings.HasPrefix(v.Name, "TRUSS_SECRET_") && r.truss[v.Name] {
			rep.addVar("truss-secret-prefix", v, s.What+":env:"+v.Name, "",
				fmt.Sprintf("%s sets %s for a Truss secret without the prefix; Truss reads environment variables named TRUSS_SECRET_%s", s.What, v.Name, v.Name))
		}
	}
}

func (r *runner) checkTTL(rep *report, s *envSet, v envVar) {
	val := strings.TrimSpace(v.Value)
	n, err := strconv.ParseInt(val, 10, 64)
	max := int64(r.limits.MLflowMaxTTL)
	var msg string
	switch {
	case err != nil:
		msg = fmt.Sprintf("%s=%q is not a whole number of seconds; the plugin falls back to its default", v.Name, truncate(val, 20))
	case n <= 0:
		msg = fmt.Sprintf("%s=%d: the plugin clamps it to 1 s, refetching the secret on every request", v.Name, n)
	case n > 86400:
		msg = fmt.Sprintf("%s=%d exceeds the plugin's 86400 s clamp and the policy maximum of %d s", v.Name, n, max)
	case n > max:
		msg = fmt.Sprintf("%s=%d exceeds the policy maximum of %d s; a rotated or revoked credential stays cached that long", v.Name, n, max)
	default:
		return
	}
	rep.addVar("mlflow-ttl", v, s.What+":"+v.Name, "", msg)
}

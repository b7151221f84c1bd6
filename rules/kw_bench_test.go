package rules

import (
	"os"
	"testing"
)

var benchKeywords = []string{"akia", "asia", "abia", "acca", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xapp-", "hooks.slack.com", "sk_live_", "rk_live_", "sk_test_", "aiza", "service_account", "accountkey=", "sk-", "sk-ant-", "hf_", "r8_", "gsk_", "dapi", "npm_", "pypi-", "dckr_pat_", "hvs.", "atlasv1", "sg.", "key-", "shpat_", "sq0atp-", "eaaa", "access_token$", "nrak-", "glc_", "sntrys_", "atatt3", "lin_api_", "pmak-", "dop_v1_", "hrku-", "sbp_", "dp.pt.", "pul-", "age-secret-key-1", "-----begin", "eyj", "postgres", "mysql", "mongodb", "redis", "amqp", "://", "mlflow_tracking", "password", "passwd", "secret", "token", "api_key", "apikey", "api-key", "credential", "auth"}

func benchData(b *testing.B) []byte {
	data, err := os.ReadFile("/usr/local/go/src/net/http/server.go")
	if err != nil {
		b.Skip(err)
	}
	for len(data) < 8<<20 {
		data = append(data, data...)
	}
	return data
}

func BenchmarkKeywordScan(b *testing.B) {
	data := benchData(b)
	m := newKeywordMatcher(benchKeywords)
	b.SetBytes(int64(len(data)))
	hits := 0
	for i := 0; i < b.N; i++ {
		m.scan(data, func(int, int) { hits++ })
	}
	b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
}

package rules_test
import ("testing";"os";"context";"fmt";"github.com/secretlint/secretlint/rules";"github.com/secretlint/secretlint/scan";"github.com/secretlint/secretlint/scan/files")
func TestTmpFP(t *testing.T){ dir:=os.Getenv("FPDIR"); if dir==""{t.Skip()}
 set,_:=rules.BuiltinSet(); var col scan.Collector
 files.New([]string{dir}).Scan(context.Background(), scan.NewEngine(set), &col)
 fmt.Println("inputs", col.Inputs(), len(col.Errors()), len(col.Skips())); for _,f:=range col.Findings(){ s:=f.Secret; if len(s)>70 {s=s[:70]}; fmt.Printf("%s\t%s:%d\t%s\t%s\n", f.RuleID, f.Path, f.Line, f.Encoding, s) }
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"
	"golang.org/x/term"

	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
)

func init() {
	register(&command{name: "inventory", summary: "check the secrets inventory (secrets.toml) against rotation and least-privilege policy", run: runInventory})
}

const inventoryUsage = `usage: secretlint inventory <subcommand> [flags] [args]

Subcommands:
  check [flags] [PATH]     check secrets.toml against the policy; with PATH, also cross-check the
                           project: names it uses but the inventory lacks, unused entries, IAM
                           grants wider than an entry's scope, and leaked inventoried values
  fingerprint [-|FILE]     print the sha256: fingerprint of a value read from stdin or a file
  init [flags] [PATH]      write a starting secrets.toml from the secrets PATH references
  checks                   list the inventory checks with their ids and severities

Run 'secretlint inventory <subcommand> -h' for its flags.
`

func runInventory(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		io.WriteString(e.stderr, inventoryUsage)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return runInventoryCheck(ctx, e, args[1:])
	case "fingerprint":
		return runInventoryFingerprint(e, args[1:])
	case "init":
		return runInventoryInit(ctx, e, args[1:])
	case "checks":
		return runInventoryChecks(e)
	case "-h", "-help", "--help", "help":
		io.WriteString(e.stdout, inventoryUsage)
		return exitClean
	}
	e.errorf("inventory: unknown subcommand %q\n%s", args[0], inventoryUsage)
	return exitUsage
}

// printInventoryError prints a load error, one problem a line.
func printInventoryError(e *env, err error) {
	var ie *inventory.Error
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			e.errorf("%v", p)
		}
		return
	}
	e.errorf("%v", err)
}

// inventoryPathFor returns the inventory a command uses: the flag, or
// secrets.toml in the first root (a directory) or the current directory.
func inventoryPathFor(flagValue string, roots []string) string {
	if flagValue != "" {
		return flagValue
	}
	if len(roots) > 0 && roots[0] != "-" {
		if fi, err := os.Stat(roots[0]); err == nil && fi.IsDir() {
			return filepath.Join(roots[0], inventory.FileName)
		}
	}
	return inventory.FileName
}

// loadInventoryPolicy reads --policy, else secretlint-policy.toml beside the
// inventory or at the first root, else the built-in defaults.
func loadInventoryPolicy(flagValue, invPath string, roots []string) (*policy.InventoryPolicy, error) {
	p := flagValue
	if p == "" {
		dirs := []string{filepath.Dir(invPath)}
		if len(roots) > 0 && roots[0] != "-" {
			dirs = append(dirs, roots[0])
		}
		p = policy.FindInventoryPolicy(dirs...)
	}
	return policy.LoadInventoryPolicy(p)
}

func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("--now: %q is not a date; write YYYY-MM-DD", s)
}

func runInventoryCheck(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("inventory check", flag.ContinueOnError)
	o := addScanFlags(fs)
	ff := addFileFlags(fs)
	policyPath := fs.String("policy", "", "policy `FILE` (default: secretlint-policy.toml beside the inventory, else the built-in policy)")
	nowFlag := fs.String("now", "", "evaluate as of `DATE` (YYYY-MM-DD) instead of today, for reproducible results")
	fs.Usage = func() {
		e.errorf("usage: secretlint inventory check [--inventory FILE] [--policy FILE] [--now DATE] [flags] [PATH ...]")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	roots := fs.Args()
	for _, r := range roots {
		if r == "-" {
			e.errorf("inventory check: PATH cannot be stdin")
			return exitUsage
		}
	}
	now, err := parseNow(*nowFlag)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	if o.inventory == "" && len(roots) == 1 && strings.HasSuffix(roots[0], ".toml") {
		// `inventory check path/secrets.toml`: the inventory, and its
		// directory the project.
		if fi, err := os.Stat(roots[0]); err == nil && fi.Mode().IsRegular() {
			o.inventory, roots = roots[0], []string{filepath.Dir(roots[0])}
		}
	}
	invPath := inventoryPathFor(o.inventory, roots)
	// --inventory names the file checked here; the pipeline's inventory
	// stage (for scan) must not run on top.
	o.inventory = ""
	if _, err := os.Stat(invPath); errors.Is(err, os.ErrNotExist) {
		e.errorf("inventory check: no inventory at %s; pass --inventory FILE, or draft one with `secretlint inventory init`", invPath)
		return exitUsage
	}
	inv, err := inventory.Load(invPath)
	if err != nil {
		printInventoryError(e, err)
		return exitUsage
	}
	pol, err := loadInventoryPolicy(*policyPath, invPath, roots)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	src := &inventorySource{inv: inv, pol: pol, now: now, roots: roots}
	if len(roots) > 0 {
		src.files = ff.source(e, o, roots)
	}
	e.printRotationTable(o, inv, pol, now)
	return e.execute(ctx, o, job{roots: roots, sources: []scan.Source{src}, rotation: rotationAges(inv, pol, now)})
}

// rotationAges is each entry's rotation age against its limit, for the
// HTML report's chart; the same figures as the rotation table.
func rotationAges(inv *inventory.Inventory, pol *policy.InventoryPolicy, now time.Time) []report.RotationAge {
	var out []report.RotationAge
	for i := range inv.Entries {
		en := &inv.Entries[i]
		r := policy.InventoryRotation(en, pol, now)
		out = append(out, report.RotationAge{Name: en.Name, Owner: en.Owner, Known: r.Known, HasAge: !en.LastRotated.IsZero(),
			Age: r.Age, Limit: r.Every, Soon: r.Known && r.DaysLeft >= 0 && r.DaysLeft <= pol.WarnBeforeDays})
	}
	return out
}

// inventorySource runs the inventory checks as a source of the shared
// pipeline, so their findings get the same filters, reports and exit code.
type inventorySource struct {
	inv   *inventory.Inventory
	pol   *policy.InventoryPolicy
	now   time.Time
	roots []string
	// files scans the roots for leaked values of inventoried secrets.
	files scan.Source
}

func (s *inventorySource) String() string { return s.inv.Path }

func (s *inventorySource) Scan(ctx context.Context, eng *scan.Engine, out *scan.Collector) error {
	out.Input()
	out.Add(policy.CheckInventory(s.inv, s.pol, s.now)...)
	if len(s.roots) == 0 {
		return nil
	}
	crossCheck(ctx, s.inv, s.pol, s.roots, eng.SkipPath, true, out)
	// Scan the tree, keeping only the findings whose value is inventoried:
	// other leaks are `secretlint scan`'s to report.
	priv := &scan.Collector{}
	if err := s.files.Scan(ctx, eng, priv); err != nil {
		out.Error(fmt.Sprint(s.files), err)
	}
	for range priv.Inputs() {
		out.Input()
	}
	for _, ie := range priv.Errors() {
		out.Error(ie.Input, ie.Err)
	}
	for _, sk := range priv.Skips() {
		out.Skip(sk.Input, sk.Reason)
	}
	seen := map[string]bool{}
	for _, f := range priv.Findings() {
		if !policy.TagInventoryFinding(s.inv, &f) {
			continue
		}
		// Two rules may match one value on one line; report it once.
		k := fmt.Sprintf("%s\x00%d\x00%s", f.Path, f.Line, f.Inventory.Name)
		if seen[k] {
			continue
		}
		seen[k] = true
		out.Add(f)
	}
	return nil
}

// crossCheck compares the inventory with the names and IAM grants found
// under roots.
// reportErrors records files that do not parse; the scan leaves that to
// its hygiene checks, which read the same files.
func crossCheck(ctx context.Context, inv *inventory.Inventory, pol *policy.InventoryPolicy, roots []string, skip func(string) bool, reportErrors bool, out *scan.Collector) {
	var onError func(string, error)
	if reportErrors {
		onError = func(p string, err error) { out.Error(p, err) }
	}
	found := policy.FindInventoryReferences(ctx, roots, skip, onError)
	out.Add(policy.CrossCheckInventory(inv, pol, found.Refs, found.Statements)...)
}

// printRotationTable prints the secrets by rotation age, most overdue
// first: on stdout above a text report, on stderr otherwise, and not at all
// with --quiet.
func (e *env) printRotationTable(o *scanOptions, inv *inventory.Inventory, pol *policy.InventoryPolicy, now time.Time) {
	if len(inv.Entries) == 0 || o.quiet {
		return
	}
	w := e.stdout
	if o.output != "" || !strings.EqualFold(o.format, "text") {
		w = e.stderr
	}
	io.WriteString(w, rotationTable(w, e.colorProfile(w, o.noColor), inv, pol, now)+"\n\n")
}

// rotationTable renders the summary table for the writer it will go to,
// in the colour profile given.
func rotationTable(w io.Writer, profile termenv.Profile, inv *inventory.Inventory, pol *policy.InventoryPolicy, now time.Time) string {
	re := lipgloss.NewRenderer(w)
	re.SetColorProfile(profile)
	type row struct {
		cells []string
		state int // 0 ok, 1 due soon, 2 overdue, 3 unknown
		age   int
	}
	var rows []row
	for i := range inv.Entries {
		en := &inv.Entries[i]
		r := policy.InventoryRotation(en, pol, now)
		last, age, due, status, state := "-", "-", "-", "no rotation data", 3
		if !en.LastRotated.IsZero() {
			last = en.LastRotated.Format("2006-01-02")
			age = fmt.Sprintf("%d", r.Age)
		}
		if r.Known {
			due = r.Due.Format("2006-01-02")
			switch {
			case r.DaysLeft < 0:
				status, state = fmt.Sprintf("overdue %d days", -r.DaysLeft), 2
			case r.DaysLeft <= pol.WarnBeforeDays:
				status, state = fmt.Sprintf("due in %d days", r.DaysLeft), 1
			default:
				status, state = "ok", 0
			}
		}
		owner := en.Owner
		if owner == "" {
			owner = "-"
		}
		envs := strings.Join(en.Environments, ",")
		if envs == "" {
			envs = "-"
		}
		rows = append(rows, row{cells: []string{en.Name, owner, envs, last, age, due, status}, state: state, age: r.Age})
	}
	rank := func(r row) int { return []int{3, 1, 0, 2}[r.state] } // overdue, due, unknown, ok
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a.age > b.age
	})
	stateStyle := []lipgloss.Style{
		re.NewStyle().Foreground(lipgloss.Color("10")),
		re.NewStyle().Foreground(lipgloss.Color("11")),
		re.NewStyle().Bold(true).Foreground(lipgloss.Color("9")),
		re.NewStyle().Faint(true),
	}
	cell := re.NewStyle().Padding(0, 1)
	header := cell.Bold(true)
	t := table.New().
		Border(lipgloss.NormalBorder()).
		BorderStyle(re.NewStyle().Faint(true)).
		Headers("SECRET", "OWNER", "ENVIRONMENTS", "LAST ROTATED", "AGE (DAYS)", "DUE", "STATUS").
		StyleFunc(func(r, c int) lipgloss.Style {
			if r == table.HeaderRow {
				return header
			}
			if c == 6 {
				return cell.Inherit(stateStyle[rows[r].state])
			}
			if c == 4 {
				return cell.Align(lipgloss.Right)
			}
			return cell
		})
	for _, r := range rows {
		t.Row(r.cells...)
	}
	title := re.NewStyle().Bold(true).Render(fmt.Sprintf("Secrets by rotation age as of %s (%s)", now.UTC().Format("2006-01-02"), inv.Path))
	return title + "\n" + t.Render()
}

func runInventoryFingerprint(e *env, args []string) int {
	fs := flag.NewFlagSet("inventory fingerprint", flag.ContinueOnError)
	keep := fs.Bool("keep-newline", false, "keep a trailing newline as part of the value (by default one is removed)")
	fs.Usage = func() {
		e.errorf("usage: secretlint inventory fingerprint [--keep-newline] [-|FILE]\n" +
			"  reads the value from stdin (-, the default) or FILE and prints sha256:<hex> for secrets.toml; the value is never printed")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitUsage
	}
	src := "-"
	if fs.NArg() == 1 {
		src = fs.Arg(0)
	}
	const limit = 1 << 20
	var value []byte
	var err error
	if src == "-" {
		if f, ok := e.stdin.(*os.File); ok && e.isTerminal(f) {
			// Typed at a terminal: do not echo it.
			fmt.Fprint(e.stderr, "value (not echoed): ")
			value, err = term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(e.stderr)
			*keep = true // ReadPassword already dropped the newline
		} else {
			value, err = io.ReadAll(io.LimitReader(e.stdin, limit+1))
		}
	} else {
		var f *os.File
		if f, err = os.Open(src); err == nil {
			value, err = io.ReadAll(io.LimitReader(f, limit+1))
			f.Close()
		}
	}
	if err != nil {
		e.errorf("inventory fingerprint: read %s: %v", src, err)
		return exitUsage
	}
	if len(value) > limit {
		e.errorf("inventory fingerprint: %s holds more than 1 MB; a secret value is expected", src)
		return exitUsage
	}
	if !*keep {
		if v, ok := strings.CutSuffix(string(value), "\n"); ok {
			value = []byte(strings.TrimSuffix(v, "\r"))
		}
	}
	if len(value) == 0 {
		e.errorf("inventory fingerprint: %s is empty; pipe the value in, e.g. `pbpaste | secretlint inventory fingerprint -`", src)
		return exitUsage
	}
	fmt.Fprintln(e.stdout, inventory.Fingerprint(value))
	return exitClean
}

func runInventoryChecks(e *env) int {
	var rows [][]string
	for _, c := range policy.InventoryChecks() {
		rows = append(rows, []string{c.ID, c.Severity.String(), c.Description})
	}
	if err := writeTable(e.stdout, e.colorProfile(e.stdout, false), []string{"ID", "SEVERITY", "DESCRIPTION"}, rows); err != nil {
		e.errorf("write: %v", err)
		return exitUsage
	}
	return exitClean
}

func runInventoryInit(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("inventory init", flag.ContinueOnError)
	out := fs.String("o", "", "write to `FILE` ('-' for stdout; default PATH/secrets.toml)")
	force := fs.Bool("force", false, "overwrite an existing file")
	fs.Usage = func() {
		e.errorf("usage: secretlint inventory init [-o FILE] [--force] [PATH]")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitUsage
	}
	root := "."
	if fs.NArg() == 1 {
		root = fs.Arg(0)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		e.errorf("inventory init: %s is not a directory", root)
		return exitUsage
	}
	dest := *out
	if dest == "" {
		dest = filepath.Join(root, inventory.FileName)
	}
	found := policy.FindInventoryReferences(ctx, []string{root}, nil, func(p string, err error) {
		e.errorf("%s: %v (skipped)", p, err)
	})
	text := inventoryDraft(root, found.Refs, time.Now().UTC())
	if dest == "-" {
		io.WriteString(e.stdout, text)
		return exitClean
	}
	// The draft is written as reports are (createOutput): never through a
	// symlink, never into a device, FIFO or directory, new files 0600.
	// --force overwrites an existing file or replaces a link.
	if err := checkOutput(dest, *force); err != nil {
		e.errorf("inventory init: -o: %v", err)
		return exitUsage
	}
	if _, err := os.Lstat(dest); err == nil && !*force {
		e.errorf("inventory init: %s exists; pass --force to overwrite it or -o - to print the draft", report.Printable(dest))
		return exitUsage
	}
	f, err := createOutput(dest, *force, e.errorf)
	if err != nil {
		e.errorf("inventory init: %v", err)
		return exitUsage
	}
	if _, err := io.WriteString(f, text); err != nil {
		f.Close()
		e.errorf("inventory init: write %s: %v", dest, err)
		return exitUsage
	}
	if err := f.Close(); err != nil {
		e.errorf("inventory init: write %s: %v", dest, err)
		return exitUsage
	}
	n := strings.Count(text, "[[secret]]")
	fmt.Fprintf(e.stderr, "wrote %d secrets to %s; fill in the TODO owners, last_rotated dates and fingerprints, then run `secretlint inventory check %s`\n", n, report.Printable(dest), report.Printable(root))
	return exitClean
}

// inventoryDraft writes a starting inventory from the references found:
// one entry per name (spellings that normalise alike become aliases), with
// the store, environments and delivery the references suggest, TODO owners
// and no values.
func inventoryDraft(root string, refs []policy.Ref, now time.Time) string {
	type draft struct {
		names      []string
		kinds      []string
		refs       []policy.Ref
		envs       []string
		deliveries []string
		where      []string
	}
	byKey := map[string]*draft{}
	var order []string
	add := func(list *[]string, s string) {
		if s == "" {
			return
		}
		for _, x := range *list {
			if x == s {
				return
			}
		}
		*list = append(*list, s)
	}
	for _, r := range refs {
		k := inventory.Normalize(r.Name)
		d := byKey[k]
		if d == nil {
			d = &draft{}
			byKey[k] = d
			order = append(order, k)
		}
		add(&d.names, r.Name)
		add(&d.kinds, r.Kind)
		d.refs = append(d.refs, r)
		env := policy.InferEnvironment(r.Path)
		if r.Kind == policy.RefWorkflowSecret {
			env = "ci"
		}
		add(&d.envs, env)
		add(&d.deliveries, policy.RefDelivery(r.Kind))
		rel, err := filepath.Rel(root, r.Path)
		if err != nil {
			rel = r.Path
		}
		add(&d.where, fmt.Sprintf("%s:%d", filepath.ToSlash(rel), r.Line))
	}
	sort.Strings(order)
	var b strings.Builder
	fmt.Fprintf(&b, "# Secrets inventory drafted by `secretlint inventory init` on %s.\n", now.Format("2006-01-02"))
	b.WriteString("# Fill in every TODO, set last_rotated to each secret's last rotation date and add its\n")
	b.WriteString("# fingerprint with `secretlint inventory fingerprint -` (never the value). See docs/inventory.md.\n")
	for _, k := range order {
		d := byKey[k]
		b.WriteString("\n[[secret]]\n")
		fmt.Fprintf(&b, "# referenced at %s\n", strings.Join(d.where, ", "))
		fmt.Fprintf(&b, "name = %s\n", tomlQuote(d.names[0]))
		if len(d.names) > 1 {
			fmt.Fprintf(&b, "aliases = %s\n", tomlList(d.names[1:]))
		}
		b.WriteString("owner = \"TODO\"\n")
		var stores []string
		for _, k := range d.kinds {
			add(&stores, map[string]string{policy.RefTruss: "truss", policy.RefK8sSecretKey: "k8s", policy.RefK8sEnvFrom: "k8s",
				policy.RefK8sVolume: "k8s", policy.RefWorkflowSecret: "ci", policy.RefEnvTemplate: "env-file"}[k])
		}
		store := ""
		if len(stores) == 1 {
			store = stores[0]
		}
		if store == "" {
			b.WriteString("# store = \"TODO\"  # one of " + strings.Join(inventory.Stores, ", ") + "\n")
		} else {
			fmt.Fprintf(&b, "store = %s\n", tomlQuote(store))
		}
		if loc := draftLocation(store, d.refs); loc != "" {
			fmt.Fprintf(&b, "location = %s\n", tomlQuote(loc))
		} else {
			b.WriteString("# location = \"TODO\"  # ARN, Vault path, namespace/name or key\n")
		}
		if len(d.envs) > 0 {
			sort.Strings(d.envs)
			fmt.Fprintf(&b, "environments = %s\n", tomlList(d.envs))
		} else {
			b.WriteString("environments = [] # TODO\n")
		}
		if len(d.deliveries) == 1 {
			fmt.Fprintf(&b, "delivery = %s\n", tomlQuote(d.deliveries[0]))
		} else {
			b.WriteString("# delivery = \"TODO\"  # one of " + strings.Join(inventory.Deliveries, ", ") + "\n")
		}
		b.WriteString("rotation_days = 90\n")
		b.WriteString("# last_rotated = YYYY-MM-DD  # TODO\n")
		b.WriteString("# scope = [\"TODO\"]\n")
		b.WriteString("# consumers = [{ name = \"TODO\", access = \"read\" }]\n")
		b.WriteString("# fingerprint = \"sha256:…\"  # from `secretlint inventory fingerprint -`\n")
	}
	return b.String()
}

// draftLocation returns the location of a draft entry in a store that
// names secrets by key (inventory.KeyedStores): the name its references
// use there, with the namespace of a Kubernetes Secret when every
// workload using it names the same one. "" when the store names none.
func draftLocation(store string, refs []policy.Ref) string {
	switch store {
	case "ci", "truss", "env-file", "k8s":
	default:
		return ""
	}
	name, ns, one := "", "", true
	for i, r := range refs {
		if i == 0 {
			name, ns = r.Name, r.Namespace
			continue
		}
		if r.Namespace != ns {
			one = false
		}
	}
	if store == "k8s" && one && ns != "" {
		return ns + "/" + name
	}
	return name
}

// tomlQuote writes a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = tomlQuote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

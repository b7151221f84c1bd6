package report

import (
	"cmp"
	"fmt"
	"slices"
)

// RotationAge is where one inventoried secret stands against its rotation
// limit, as `secretlint inventory check` computes it (policy.InventoryRotation)
// on the day of the check. Only the HTML page draws it.
type RotationAge struct {
	Name, Owner string
	// Known is false when the secret has no last_rotated date or no
	// interval; Age is then the days since last_rotated, if any.
	Known bool
	// HasAge says Age is meaningful (last_rotated is set).
	HasAge bool
	// Age is the days since the last rotation, Limit the interval applied
	// (the entry's rotation_days, capped by the policy's maximum).
	Age, Limit int
	// Soon says the secret is due within the policy's warning period.
	Soon bool
}

// State is "overdue", "due soon", "ok" or "unknown".
func (r RotationAge) State() string {
	switch {
	case !r.Known:
		return "unknown"
	case r.Age > r.Limit:
		return "overdue"
	case r.Soon:
		return "due soon"
	}
	return "ok"
}

// rotationChart draws every secret's age as a bar against a tick at its
// limit, worst first: overdue, due soon, ok, each by days left, then those
// without rotation data (named; a bar when only the limit is missing).
type rotationChart struct {
	Height                     int
	Overdue, Soon, OK, Unknown int
	Rows                       []rotationRow
	AxisX                      int
}

type rotationRow struct {
	RotationAge
	StateName                  string
	Class                      string
	Y, W, LimitX, TextX, TextY int
	Text                       string
}

func rotationChartFor(rs []RotationAge) *rotationChart {
	if len(rs) == 0 {
		return nil
	}
	rs = slices.Clone(rs)
	rank := map[string]int{"overdue": 0, "due soon": 1, "ok": 2, "unknown": 3}
	slices.SortStableFunc(rs, func(a, b RotationAge) int {
		if c := cmp.Compare(rank[a.State()], rank[b.State()]); c != 0 {
			return c
		}
		// The fewest days left first (most days overdue), as the text
		// report's rotation table orders them.
		if c := cmp.Compare(b.Age-b.Limit, a.Age-a.Limit); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	peak := 1
	for _, r := range rs {
		if r.HasAge {
			peak = max(peak, r.Age)
		}
		if r.Known {
			peak = max(peak, r.Limit)
		}
	}
	span := chartWidth - labelWidth - 110
	ch := &rotationChart{Height: len(rs)*(barHeight+barGap) + barGap, AxisX: labelWidth}
	for i, r := range rs {
		y := barGap + i*(barHeight+barGap)
		row := rotationRow{RotationAge: r, StateName: r.State(), Y: y, TextY: y + barHeight - 5}
		row.Class = map[string]string{"overdue": "bar over", "due soon": "bar part", "ok": "bar", "unknown": "bar unknown"}[row.StateName]
		switch row.StateName {
		case "overdue":
			ch.Overdue++
		case "due soon":
			ch.Soon++
		case "ok":
			ch.OK++
		default:
			ch.Unknown++
		}
		if r.HasAge {
			row.W = max(1, r.Age*span/peak)
		}
		if r.Known {
			row.LimitX = labelWidth + r.Limit*span/peak
			row.Text = fmt.Sprintf("%d of %d days", r.Age, r.Limit)
			if row.StateName == "overdue" {
				row.Text = fmt.Sprintf("%d days, %d over", r.Age, r.Age-r.Limit)
			}
		} else if r.HasAge {
			row.Text = fmt.Sprintf("%d days, no limit", r.Age)
		} else {
			row.Text = "never rotated or no date"
		}
		row.TextX = labelWidth + max(row.W, row.LimitX-labelWidth) + 6
		ch.Rows = append(ch.Rows, row)
	}
	return ch
}

package verify

import "time"

// Retries wait a millisecond in tests; the waits are not what is tested.
func init() { retryBase = time.Millisecond }

// Limits the tests check against.
const PerProvider = perProvider

// The shared harness tests (tests/harness_test.ts), run inside workerd too.
import "../harness_test.ts";

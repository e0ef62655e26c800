// The shared main-entry tests (tests/mod_test.ts), run inside workerd too.
import "../mod_test.ts";

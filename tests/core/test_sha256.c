#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/sha256.h"

static void digest(const char *msg, size_t len, char hex[65])
{
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, msg, len);
    sha256_final_hex(&s, hex);
}

/* Test vectors of FIPS 180-4 / NIST CAVS, and `sha256sum` for the rest. */
static void known_vectors(void **state)
{
    (void)state;
    char hex[65];
    digest("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    digest(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* 55, 56 and 64 bytes: the padding boundaries. */
    char buf[64];
    memset(buf, 'a', sizeof(buf));
    digest(buf, 55, hex);
    assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    digest(buf, 56, hex);
    assert_string_equal(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    digest(buf, 64, hex);
    assert_string_equal(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void files_and_pieces(void **state)
{
    (void)state;
    char path[64], hex[65], whole[65];
    snprintf(path, sizeof(path), "/tmp/almanac-sha-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    struct sha256 s;
    sha256_init(&s);
    for (int i = 0; i < 100000; i++) {
        char line[32];
        int n = snprintf(line, sizeof(line), "line %d\n", i);
        fwrite(line, 1, (size_t)n, f);
        sha256_update(&s, line, (size_t)n);
    }
    fclose(f);
    sha256_final_hex(&s, whole);
    long long bytes = 0;
    assert_int_equal(sha256_file(path, hex, &bytes), 0);
    assert_string_equal(hex, whole);
    assert_true(bytes > 600000);
    unlink(path);
    assert_int_equal(sha256_file(path, hex, &bytes), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_vectors),
        cmocka_unit_test(files_and_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

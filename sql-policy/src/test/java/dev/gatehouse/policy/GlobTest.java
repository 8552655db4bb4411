package dev.gatehouse.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlobTest {

    @ParameterizedTest(name = "{0}: ''{1}'' vs ''{2}'' ignoreCase={3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "exact match              | users     | users        | false | true",
            "exact mismatch           | users     | user         | false | false",
            "longer text              | user      | users        | false | false",
            "star alone matches all   | *         | anything     | false | true",
            "star matches empty       | *         | ''           | false | true",
            "empty pattern vs text    | ''        | x            | false | false",
            "prefix star              | dba-*     | dba-alice    | false | true",
            "prefix star no match     | dba-*     | dev-alice    | false | false",
            "star in the middle       | pg_*_file | pg_read_file | false | true",
            "backtracking star        | *ab       | aaab         | false | true",
            "two stars                | *a*b*     | xxaxxbxx     | false | true",
            "two stars fail           | *a*b*     | xxbxxaxx     | false | false",
            "question mark            | t?        | t1           | false | true",
            "question mark needs one  | t?        | t            | false | false",
            "case sensitive           | Users     | users        | false | false",
            "case insensitive         | Users     | users        | true  | true",
            "regex chars are literal  | a.c       | abc          | false | false",
            "plus is literal          | a+        | aa           | false | false",
            "trailing stars           | ab**      | ab           | false | true",
    })
    void matches(String name, String pattern, String text, boolean ignoreCase, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, text, ignoreCase));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "suffix from offset matches   | lower    | pg_catalog.lower | 11 | true",
            "suffix from offset no match  | pg_*     | pg_catalog.lower | 11 | false",
            "offset at end matches star   | *        | abc              | 3  | true",
    })
    void matchesFromOffset(String name, String pattern, String text, int from, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, text, from, true));
    }
}

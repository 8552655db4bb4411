package dev.gatehouse.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void helpListsEveryCommand() {
        Cli r = Cli.run("", "--help");
        assertEquals(0, r.code());
        for (Command c : Main.commands()) {
            assertTrue(r.out().contains("  " + c.name() + " "), r.out());
            assertTrue(r.out().contains(c.summary()), r.out());
        }
    }

    @Test
    void commandHelpDescribesEveryOption() {
        Cli r = Cli.run("", "check", "--help");
        assertEquals(0, r.code());
        for (Options.Spec spec : CheckCommand.OPTIONS) {
            assertTrue(r.out().contains(spec.name()), spec.name() + " in " + r.out());
        }
        assertEquals(r.out(), Cli.run("", "help", "check").out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no arguments            | ''                                              | Usage: gatehouse <command>",
            "unknown command         | frobnicate                                      | unknown command 'frobnicate'",
            "unknown option          | check --policy p.yaml --polcy x                 | unknown option '--polcy'",
            "missing option value    | check --policy                                  | option --policy needs a value (FILE)",
            "missing required option | check                                           | option --policy is required",
            "unknown dialect         | check --policy p.yaml --dialect oracle          | unknown dialect 'oracle'",
            "flag with a value       | check --policy p.yaml --jsonl=yes               | option --jsonl takes no value",
            "stray argument          | check --policy p.yaml extra                     | unexpected argument 'extra'",
            "option given twice      | check --policy a --policy b                     | option --policy is given twice",
            "test without files      | test                                            | name at least one test file",
    })
    void badCommandLinesExitWithTwo(String name, String line, String message) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        Cli r = Cli.run("", args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }
}

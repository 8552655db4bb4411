package dev.gatehouse.cli;

/** Entry point of bin/gatehouse. Commands are added by the issues that build them. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("gatehouse: no commands are built yet");
        System.exit(2);
    }
}

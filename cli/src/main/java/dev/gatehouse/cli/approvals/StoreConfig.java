package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where the store is: {@code --store URL} (default: an H2 file under {@code $GATEHOUSE_HOME}, else
 * {@code ./.gatehouse}), {@code --store-user}, and the password from {@code $GATEHOUSE_STORE_PASSWORD} or
 * {@code --store-password-file} only, so that it never appears on a command line or in a process list.
 */
final class StoreConfig {
    static final Set<String> FLAGS = Set.of("store", "store-user", "store-password-file");

    private StoreConfig() {
    }

    static String defaultUrl() {
        return Store.defaultUrl();
    }

    static Store open(Flags f) throws IOException {
        String url = f.get("store", defaultUrl());
        String password = System.getenv("GATEHOUSE_STORE_PASSWORD");
        String file = f.get("store-password-file", null);
        if (file != null) {
            password = Files.readString(Path.of(file)).strip();
        }
        String user = f.get("store-user", url.startsWith("jdbc:h2:") ? "sa" : null);
        if (password == null && url.startsWith("jdbc:h2:")) {
            password = "";
        }
        return Store.open(url, user, password, 8);
    }
}

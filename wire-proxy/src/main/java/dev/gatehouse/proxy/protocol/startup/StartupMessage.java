package dev.gatehouse.proxy.protocol.startup;

import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's StartupMessage: protocol version and parameters (user, database, application_name, options,
 * ...). Relayed to the server byte for byte ({@code packet}), so parameters the proxy does not know still
 * reach it.
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters, byte[] packet)
        implements StartupRequest {

    public StartupMessage {
        parameters = Map.copyOf(parameters);
    }

    public String user() {
        return parameters.getOrDefault("user", "");
    }

    /** PostgreSQL's default: the database named like the user. */
    public String database() {
        return parameters.getOrDefault("database", user());
    }

    public String applicationName() {
        return parameters.getOrDefault("application_name", "");
    }

    /** True when the client asks for a physical or logical replication connection. */
    public boolean replication() {
        String value = parameters.get("replication");
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "false", "off", "no", "0" -> false;
            default -> true;
        };
    }

    static StartupMessage decode(int version, PayloadReader body, byte[] packet) throws ProtocolException {
        if (version >>> 16 != 3) {
            throw new ProtocolException("unsupported frontend protocol " + (version >>> 16) + "." + (version & 0xffff));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            String name = body.cstring();
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, body.cstring());
        }
        body.expectEnd();
        if (!parameters.containsKey("user") || parameters.get("user").isEmpty()) {
            throw new ProtocolException("no PostgreSQL user name specified in startup packet");
        }
        return new StartupMessage(version, parameters, packet);
    }
}

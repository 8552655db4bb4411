package dev.gatehouse.cli.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code approvers:} section of a policy file (group → member names). Stop-gap until the policy module's
 * {@code Policy#approvers()} is on this branch: then {@code serve} takes it from the loaded policy and this
 * class goes away. Only this one section is read; the policy loader validates the whole file.
 */
final class PolicyApprovers {
    private PolicyApprovers() {
    }

    static Map<String, List<String>> read(Path policy) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(policy.toFile());
        Map<String, List<String>> out = new LinkedHashMap<>();
        JsonNode approvers = root == null ? null : root.get("approvers");
        if (approvers == null || approvers.isNull()) {
            return out;
        }
        if (!approvers.isObject()) {
            throw new IOException(policy + ": approvers must map group names to lists of people");
        }
        var fields = approvers.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isArray()) {
                throw new IOException(policy + ": approvers." + e.getKey() + " must be a list of names");
            }
            List<String> members = new ArrayList<>();
            for (JsonNode m : e.getValue()) {
                if (!m.isTextual()) {
                    throw new IOException(policy + ": approvers." + e.getKey() + " holds a non-name: " + m);
                }
                members.add(m.asText());
            }
            out.put(e.getKey(), members);
        }
        return out;
    }
}

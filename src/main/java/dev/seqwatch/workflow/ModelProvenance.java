package dev.seqwatch.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.Workspace;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a model was trained on the workspace it is used in. A version records the SHA-256 of every
 * import it was trained on ({@code trained_on.imports}); when none of them is an import of this
 * workspace, its calibrated threshold was chosen on other users and may flag far too many or too few
 * here (issue 17 item 12: 52 of 53 users flagged, silently). Models that record no imports (older
 * files, other tools) are not judged.
 */
public final class ModelProvenance {
    private ModelProvenance() {
    }

    /** The SHA-256 of every finished import of {@code ws}. */
    public static Set<String> importHashes(Workspace ws) {
        return ws.read(c -> {
            Set<String> s = new HashSet<>();
            for (ImportDao.ImportRecord r : new ImportDao().list(c)) {
                if (r.sha256() != null) {
                    s.add(r.sha256().toLowerCase(java.util.Locale.ROOT));
                }
            }
            return s;
        });
    }

    /** The workspace a model was trained on when it is not this one (none of its imports is here), else null. */
    public static String foreignWorkspace(JsonNode manifest, Set<String> hereImports) {
        JsonNode on = manifest.path("trained_on");
        JsonNode imports = on.path("imports");
        if (!imports.isArray() || imports.isEmpty()) {
            return null;
        }
        for (JsonNode i : imports) {
            String sha = i.path("sha256").asText("");
            if (hereImports.contains(sha.toLowerCase(java.util.Locale.ROOT))) {
                return null;
            }
        }
        String name = on.path("workspace").asText("");
        return name.isBlank() ? "another workspace" : name;
    }

    /**
     * One line for a person when {@code manifest}'s model was trained elsewhere (null when not):
     * what it was trained on and what that means for its threshold.
     */
    public static String warning(String model, JsonNode manifest, Set<String> hereImports) {
        String other = foreignWorkspace(manifest, hereImports);
        if (other == null) {
            return null;
        }
        int n = manifest.path("trained_on").path("imports").size();
        JsonNode cal = manifest.path("calibration");
        String threshold = cal.path("threshold").isNumber()
                ? String.format(java.util.Locale.ROOT, "; its calibrated threshold %.4g (%s) was chosen there and may flag far too many or too few users here: check the flagged count, or label users here and train again",
                cal.path("threshold").asDouble(), cal.path("method").asText("calibrated"))
                : "; its scores are comparable within this workspace, but not its figures from there";
        return model + " was trained on " + other + " (" + n + (n == 1 ? " import" : " imports")
                + ", none of them in this workspace)" + threshold;
    }

    /** A calibration method annotated for a model from elsewhere ("... (set on W, another workspace)"). */
    public static String annotate(String method, JsonNode manifest, Set<String> hereImports) {
        if (method == null || method.isEmpty()) {
            return method;
        }
        String other = foreignWorkspace(manifest, hereImports);
        return other == null ? method : method + " (set on " + other + ", another workspace: may not suit this one)";
    }
}

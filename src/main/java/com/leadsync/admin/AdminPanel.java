package com.leadsync.admin;

import com.leadsync.api.ApiError;
import com.leadsync.api.HttpApiResponse;
import com.leadsync.api.OpenRoute;
import com.leadsync.api.Request;
import com.leadsync.api.RouteHandler;
import com.leadsync.api.Router;
import com.leadsync.api.Routes;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The admin panel (contract §11): {@code GET /admin} and its assets under {@code /admin/}, served by the api
 * function from the classpath, so AWS and local mode serve the same bytes. Loading it needs no key: the page holds
 * no data and no powers; everything it shows comes from the JSON API with the key the user signs in with.
 */
@ApplicationScoped
public class AdminPanel implements Routes {

    /**
     * No inline script or style, no eval, calls to this origin only; nothing may frame the panel. (Scripts set
     * styles through the CSSOM, which {@code style-src} does not restrict.)
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** The assets under /admin/, from the classpath's {@code admin/}; a new view's module is added here. */
    private static final List<String> FILES = List.of("index.html", "app.css", "app.js", "api.js", "dom.js",
            "leads.js", "overview.js", "imports.js", "connections.js", "destinations.js", "flows.js",
            "subscriptions.js", "oauth.js", "queues.js", "favicon.svg");

    /** The chart library, served from its webjar (org.webjars.npm:uplot) under these names. */
    private static final String UPLOT = "org.webjars.npm/uplot";
    private static final List<String> UPLOT_FILES = List.of("uPlot.esm.js", "uPlot.min.css");

    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "html", "text/html", "css", "text/css", "js", "text/javascript", "svg", "image/svg+xml");

    private record Asset(String body, String mediaType, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    AdminPanel() {
        FILES.forEach(name -> assets.put(name, load(name, "admin/" + name)));
        String uplot = "META-INF/resources/webjars/uplot/" + webjarVersion(UPLOT) + "/dist/";
        UPLOT_FILES.forEach(name -> assets.put(name, load(name, uplot + name)));
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/admin", new OpenRoute(req -> serve(req, "index.html")));
        router.add("GET", "/admin/{asset}", new OpenRoute(req -> serve(req, req.param("asset"))));
        // Uptime checks and link checkers ask with HEAD: the same answer without the body.
        router.add("HEAD", "/admin", new OpenRoute(req -> withoutBody(serve(req, "index.html"))));
        router.add("HEAD", "/admin/{asset}", new OpenRoute(req -> withoutBody(serve(req, req.param("asset")))));
    }

    private static HttpApiResponse withoutBody(HttpApiResponse full) {
        return new HttpApiResponse(full.statusCode(), full.headers(), null, false);
    }

    private HttpApiResponse serve(Request req, String name) {
        Asset asset = assets.get(name);
        if (asset == null) {
            throw ApiError.notFound("no admin asset " + name);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", asset.mediaType() + "; charset=utf-8");
        headers.put("content-security-policy", CSP);
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", "no-referrer");
        // The page is checked every time (a deploy shows at once); its scripts and styles may be kept 5 minutes.
        headers.put("cache-control", name.equals("index.html") ? "no-cache" : "public, max-age=300");
        headers.put("etag", asset.etag());
        if (asset.etag().equals(req.event().header("if-none-match"))) {
            return new HttpApiResponse(304, headers, null, false);
        }
        return new HttpApiResponse(200, headers, asset.body(), false);
    }

    /** The version of a webjar on the classpath, from its Maven metadata (so the pom alone names it). */
    private static String webjarVersion(String groupAndArtifact) {
        String resource = "META-INF/maven/" + groupAndArtifact + "/pom.properties";
        try (InputStream in = AdminPanel.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("webjar missing from the build: " + resource);
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset load(String name, String resource) {
        String mediaType = MEDIA_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        try (InputStream in = AdminPanel.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("admin asset missing from the build: " + resource);
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12)
                    + "\"";
            return new Asset(new String(bytes, StandardCharsets.UTF_8), mediaType, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

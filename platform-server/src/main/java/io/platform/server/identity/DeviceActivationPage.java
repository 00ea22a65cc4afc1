package io.platform.server.identity;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.security.core.Authentication;

/**
 * {@code /activate}, the verification URI of the device flow: a form where a person types the code
 * their terminal shows. With {@code user_code} in the query (the complete URI), it goes straight on
 * to the verification endpoint, which signs the person in first.
 */
final class DeviceActivationPage extends HttpServlet {

    static final String PATH = "/activate";

    private final String verificationEndpoint;

    DeviceActivationPage(String verificationEndpoint) {
        this.verificationEndpoint = verificationEndpoint;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String userCode = request.getParameter("user_code");
        if (userCode != null && !userCode.isBlank()) {
            response.sendRedirect(request.getContextPath() + verificationEndpoint + "?user_code="
                    + URLEncoder.encode(userCode.strip(), StandardCharsets.UTF_8));
            return;
        }
        html(response, "Sign in to the platform", """
                <form method="get" action="%s">
                  <p><label>Code shown in your terminal <input name="user_code" autofocus autocomplete="off"></label></p>
                  <p><button type="submit">Continue</button></p>
                </form>""".formatted(PATH));
    }

    /** The page the device verification endpoint answers with once the code is accepted. */
    static void signedIn(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        html(response, "Signed in", "<p>The terminal is signed in. You can close this page.</p>");
    }

    static void html(HttpServletResponse response, String title, String body) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s</title></head>
                <body><h1>%1$s</h1>
                %2$s
                </body></html>
                """.formatted(title, body));
    }
}

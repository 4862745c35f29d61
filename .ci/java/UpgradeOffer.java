import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A partner's integration as Java writes it: the built-in HttpClient, whose default
 * version (HTTP/2) offers "Upgrade: h2c" on a cleartext connection, then several
 * requests on that connection. Each must be answered at once in HTTP/1.1.
 *
 * Usage: java UpgradeOffer.java BASE_URL; prints "status seconds" a request, exits 1 if
 * any took two seconds or more.
 */
public class UpgradeOffer {
    public static void main(String[] arguments) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        boolean slow = false;
        for (int i = 0; i < 5; i++) {
            HttpRequest request = i == 3
                ? HttpRequest.newBuilder(URI.create(arguments[0] + "/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"nobody@nowhere\",\"password\":\"wrong\"}"))
                    .timeout(Duration.ofSeconds(20)).build()
                : HttpRequest.newBuilder(URI.create(arguments[0] + "/healthz")).timeout(Duration.ofSeconds(20)).build();
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d %s %.3f%n", response.statusCode(), response.version(), seconds);
            if (seconds >= 2) slow = true;
        }
        System.exit(slow ? 1 : 0);
    }
}

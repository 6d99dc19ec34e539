package dev.splitter.spi;

import dev.splitter.model.RealtimeApi;
import org.apiguardian.api.API;

/**
 * A hook that deploys the Realtime APIs defined in the same file as the splitters that target them.
 * splitter does not run model servers; give the {@code Deployer} one of these to have it deploy
 * them first, or deploy them yourself.
 */
@FunctionalInterface
@API(status = API.Status.STABLE)
public interface RealtimeApiDeployer {

  /** Deploys or updates the API and says which it did. Called before the splitters. */
  Change deploy(RealtimeApi api);
}

package example;

/** Every module on one class path, each driven as in its own project. */
public final class AllUse {
  public static void main(String[] args) throws Exception {
    Quiet.check(
        () -> {
          CoreUse.run();
          LocalUse.run();
          K8sUse.run();
          AwsUse.run();
          CliUse.run();
        });
  }
}

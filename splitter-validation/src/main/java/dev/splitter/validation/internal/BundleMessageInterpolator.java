package dev.splitter.validation.internal;

import jakarta.validation.MessageInterpolator;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Resolves {@code {dev.splitter.*}} message keys from this module's own bundle, then lets Hibernate
 * Validator substitute parameters such as {@code {max}}. Keeps a library from claiming the
 * application's {@code ValidationMessages} bundle and from needing Expression Language.
 */
final class BundleMessageInterpolator implements MessageInterpolator {
  private static final String BUNDLE = "dev.splitter.validation.internal.Messages";

  private final ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, Locale.ROOT);
  private final MessageInterpolator parameters = new ParameterMessageInterpolator();

  @Override
  public String interpolate(String template, Context context) {
    return parameters.interpolate(resolve(template), context);
  }

  @Override
  public String interpolate(String template, Context context, Locale locale) {
    return parameters.interpolate(resolve(template), context, locale);
  }

  private String resolve(String template) {
    if (!(template.startsWith("{") && template.endsWith("}"))) {
      return template;
    }
    try {
      return bundle.getString(template.substring(1, template.length() - 1));
    } catch (MissingResourceException e) {
      return template;
    }
  }
}

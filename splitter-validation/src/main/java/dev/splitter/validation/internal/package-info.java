/** Implementation details of validation; not an API, may change in any release. */
@NullMarked
package dev.splitter.validation.internal;

import org.jspecify.annotations.NullMarked;

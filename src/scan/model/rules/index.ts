import type { ModelRule } from './modelRule.js';
import { VERDICT_RULES } from './verdictRules.js';
import { pickleDenylistedGlobal } from './pickleDenylistedGlobal.js';
import { pickleUnresolvedGlobal } from './pickleUnresolvedGlobal.js';
import { pickleScannerTampering } from './pickleScannerTampering.js';
import { pickleGlobalMutation } from './pickleGlobalMutation.js';
import { pickleNestedMalicious } from './pickleNestedMalicious.js';
import { pickleNonAllowlistedGlobal } from './pickleNonAllowlistedGlobal.js';
import { pickleDisallowedArguments } from './pickleDisallowedArguments.js';
import { pickleComputedCallable } from './pickleComputedCallable.js';
import { pickleMisplacedProto } from './pickleMisplacedProto.js';
import { pickleFrameViolation } from './pickleFrameViolation.js';
import { pickleResourceTrap } from './pickleResourceTrap.js';
import { pickleHiddenPickle } from './pickleHiddenPickle.js';
import { pickleMalformed } from './pickleMalformed.js';
import { zipEncrypted } from './zipEncrypted.js';
import { zipHeaderMismatch } from './zipHeaderMismatch.js';
import { zipDuplicateName } from './zipDuplicateName.js';
import { zipPathTraversal } from './zipPathTraversal.js';
import { zipOverlappingMembers } from './zipOverlappingMembers.js';
import { zipCompressionBomb } from './zipCompressionBomb.js';
import { archiveUninspectable } from './archiveUninspectable.js';
import { archiveMalformed } from './archiveMalformed.js';
import { torchHiddenStoragePickle } from './torchHiddenStoragePickle.js';
import { numpyMalformed } from './numpyMalformed.js';
import { safetensorsMalformed } from './safetensorsMalformed.js';
import { ggufMalformed } from './ggufMalformed.js';
import { ggufTemplateInjection } from './ggufTemplateInjection.js';
import { ggufTemplateUnparseable } from './ggufTemplateUnparseable.js';
import { kerasLambda } from './kerasLambda.js';
import { kerasUnsafeModule } from './kerasUnsafeModule.js';
import { kerasUnsafeDeserialization } from './kerasUnsafeDeserialization.js';
import { kerasMalformed } from './kerasMalformed.js';
import { tfDangerousOp } from './tfDangerousOp.js';
import { tfRiskyOp } from './tfRiskyOp.js';
import { tfMalformed } from './tfMalformed.js';
import { tfUnknownOp } from './tfUnknownOp.js';
import { torchscriptDangerousCall } from './torchscriptDangerousCall.js';
import { torchscriptRiskyCall } from './torchscriptRiskyCall.js';
import { onnxExternalDataEscape } from './onnxExternalDataEscape.js';
import { onnxCustomDomain } from './onnxCustomDomain.js';
import { onnxMalformed } from './onnxMalformed.js';
import { hfRemoteCode } from './hfRemoteCode.js';
import { fileEmpty } from './fileEmpty.js';
import { scanLimitReached } from './scanLimitReached.js';
import { formatUnsupported } from './formatUnsupported.js';

export { modelRule, VERDICT_REMEDIATION, type ModelRule } from './modelRule.js';

/**
 * Every rule a model scan reports inside `files[].findings`, by id: engines call `finding(id, data)`,
 * which takes the verdict and message from policy/ruleOutcomes.ts, where these rules take theirs.
 */
export const RULES = {
  PICKLE_DENYLISTED_GLOBAL: pickleDenylistedGlobal,
  PICKLE_UNRESOLVED_GLOBAL: pickleUnresolvedGlobal,
  PICKLE_SCANNER_TAMPERING: pickleScannerTampering,
  PICKLE_GLOBAL_MUTATION: pickleGlobalMutation,
  PICKLE_NESTED_MALICIOUS: pickleNestedMalicious,
  PICKLE_NON_ALLOWLISTED_GLOBAL: pickleNonAllowlistedGlobal,
  PICKLE_DISALLOWED_ARGUMENTS: pickleDisallowedArguments,
  PICKLE_COMPUTED_CALLABLE: pickleComputedCallable,
  PICKLE_MISPLACED_PROTO: pickleMisplacedProto,
  PICKLE_FRAME_VIOLATION: pickleFrameViolation,
  PICKLE_RESOURCE_TRAP: pickleResourceTrap,
  PICKLE_HIDDEN_PICKLE: pickleHiddenPickle,
  PICKLE_MALFORMED: pickleMalformed,
  ZIP_ENCRYPTED: zipEncrypted,
  ZIP_HEADER_MISMATCH: zipHeaderMismatch,
  ZIP_DUPLICATE_NAME: zipDuplicateName,
  ZIP_PATH_TRAVERSAL: zipPathTraversal,
  ZIP_OVERLAPPING_MEMBERS: zipOverlappingMembers,
  ZIP_COMPRESSION_BOMB: zipCompressionBomb,
  ARCHIVE_UNINSPECTABLE: archiveUninspectable,
  ARCHIVE_MALFORMED: archiveMalformed,
  TORCH_HIDDEN_STORAGE_PICKLE: torchHiddenStoragePickle,
  NUMPY_MALFORMED: numpyMalformed,
  SAFETENSORS_MALFORMED: safetensorsMalformed,
  GGUF_MALFORMED: ggufMalformed,
  GGUF_TEMPLATE_INJECTION: ggufTemplateInjection,
  GGUF_TEMPLATE_UNPARSEABLE: ggufTemplateUnparseable,
  KERAS_LAMBDA: kerasLambda,
  KERAS_UNSAFE_MODULE: kerasUnsafeModule,
  KERAS_UNSAFE_DESERIALIZATION: kerasUnsafeDeserialization,
  KERAS_MALFORMED: kerasMalformed,
  TF_DANGEROUS_OP: tfDangerousOp,
  TF_RISKY_OP: tfRiskyOp,
  TF_UNKNOWN_OP: tfUnknownOp,
  TF_MALFORMED: tfMalformed,
  TORCHSCRIPT_DANGEROUS_CALL: torchscriptDangerousCall,
  TORCHSCRIPT_RISKY_CALL: torchscriptRiskyCall,
  ONNX_EXTERNAL_DATA_ESCAPE: onnxExternalDataEscape,
  ONNX_CUSTOM_DOMAIN: onnxCustomDomain,
  ONNX_MALFORMED: onnxMalformed,
  HF_REMOTE_CODE: hfRemoteCode,
  SCAN_LIMIT_REACHED: scanLimitReached,
  FILE_EMPTY: fileEmpty,
  FORMAT_UNSUPPORTED: formatUnsupported,
} as const satisfies Record<string, ModelRule>;

export { VERDICT_RULES };

/** The model family of the catalogue: the per-file findings and the rules they name. */
export const MODEL_RULES: readonly ModelRule[] = [...Object.values(VERDICT_RULES), ...Object.values(RULES)];

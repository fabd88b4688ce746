/** The rule table: every rule, one entry each, grouped by category file. */
import type { Rule } from "../types.js";
import { accessGrantRules } from "./access-grant.js";
import { agentConfigPayloadRules } from "./agent-config-payload.js";
import { approvalsOffRules } from "./approvals-off.js";
import { agentServerPayloadRules } from "./agent-server-payload.js";
import { agentSettingsRules } from "./agent-settings.js";
import { agentTamperingRules } from "./agent-tampering.js";
import { analysisRules } from "./analysis.js";
import { autostartPayloadRules } from "./autostart-payload.js";
import { capturedInputRules } from "./captured-input.js";
import { carriedAccountRules } from "./carried-account.js";
import { carvedPayloadRules } from "./carved-payload.js";
import { concealmentRules } from "./concealment.js";
import { configCommandRules } from "./config-command.js";
import { credentialAccessRules } from "./credential-access.js";
import { cryptoMiningRules } from "./crypto-mining.js";
import { dangerousCapabilityRules } from "./dangerous-capability.js";
import { dataRunRules } from "./data-run.js";
import { decodeExecuteRules } from "./decode-execute.js";
import { destructiveRules } from "./destructive.js";
import { destructionFlowRules } from "./destruction-flow.js";
import { massDestructionRules } from "./mass-destruction.js";
import { fleetDestructionRules } from "./fleet-destruction.js";
import { storeWipeRules } from "./store-wipe.js";
import { listedRemoteDeleteRules } from "./listed-remote-delete.js";
import { disguisedCodeRules } from "./disguised-code.js";
import { hostageEncryptionRules } from "./hostage-encryption.js";
import { downloadExecuteRules } from "./download-execute.js";
import { encodedOrderRules } from "./encoded-orders.js";
import { inlineFetchRunRules } from "./inline-fetch-run.js";
import { unverifiedModuleRunRules } from "./unverified-module-run.js";
import { unscopedDestructionRules } from "./unscoped-destruction.js";
import { editorStartupRules } from "./editor-startup.js";
import { carriedTrustRules } from "./carried-trust.js";
import { envHarvestingRules } from "./env-harvesting.js";
import { exfiltrationRules } from "./exfiltration.js";
import { gitContentHookRules } from "./git-content-hook.js";
import { guardrailsRules } from "./guardrails.js";
import { hardcodedSecretRules } from "./hardcoded-secret.js";
import { hiddenTextRules } from "./hidden-text.js";
import { instructionOverrideRules } from "./instruction-override.js";
import { manifestRules } from "./manifest.js";
import { passwordWrapperRules } from "./password-wrapper.js";
import { persistenceRules } from "./persistence.js";
import { preloadHijackRules } from "./preload-hijack.js";
import { persistentTunnelRules } from "./persistent-tunnel.js";
import { privilegeEscalationRules } from "./privilege-escalation.js";
import { protectionOffRules } from "./protection-off.js";
import { proseRules } from "../prose/rules.js";
import { remoteGuidanceRules } from "./remote-guidance.js";
import { remoteInstructionRules } from "./remote-instructions.js";
import { repositoryPushRules } from "./repository-push.js";
import { remoteAccessRules } from "./remote-access.js";
import { reverseShellRules } from "./reverse-shell.js";
import { riskyCapabilityRules } from "./risky-capability.js";
import { exposedCapabilityRules } from "./exposed-capability.js";
import { publicExposureRules } from "./public-exposure.js";
import { openServiceRules } from "./open-service.js";
import { socketShellRules } from "./socket-shell.js";
import { stagedInstallRules } from "./staged-install.js";
import { sendInstructionRules } from "./send-instructions.js";
import { sourceRedirectRules } from "./source-redirect.js";
import { startupCarrierRules } from "./startup-carriers.js";
import { supplyChainRules } from "./supply-chain.js";

export const RULES: readonly Rule[] = [
  ...instructionOverrideRules,
  ...concealmentRules,
  ...hiddenTextRules,
  ...encodedOrderRules,
  ...remoteInstructionRules,
  ...remoteGuidanceRules,
  ...downloadExecuteRules,
  ...inlineFetchRunRules,
  ...unverifiedModuleRunRules,
  ...decodeExecuteRules,
  ...carvedPayloadRules,
  ...dataRunRules,
  ...reverseShellRules,
  ...credentialAccessRules,
  ...capturedInputRules,
  ...envHarvestingRules,
  ...exfiltrationRules,
  ...repositoryPushRules,
  ...passwordWrapperRules,
  ...gitContentHookRules,
  ...sendInstructionRules,
  ...proseRules,
  ...destructiveRules,
  ...destructionFlowRules,
  ...massDestructionRules,
  ...fleetDestructionRules,
  ...storeWipeRules,
  ...listedRemoteDeleteRules,
  ...disguisedCodeRules,
  ...hostageEncryptionRules,
  ...unscopedDestructionRules,
  ...privilegeEscalationRules,
  ...agentTamperingRules,
  ...agentConfigPayloadRules,
  ...approvalsOffRules,
  ...agentServerPayloadRules,
  ...agentSettingsRules,
  ...persistenceRules,
  ...preloadHijackRules,
  ...startupCarrierRules,
  ...autostartPayloadRules,
  ...sourceRedirectRules,
  ...editorStartupRules,
  ...carriedTrustRules,
  ...persistentTunnelRules,
  ...configCommandRules,
  ...dangerousCapabilityRules,
  ...riskyCapabilityRules,
  ...exposedCapabilityRules,
  ...protectionOffRules,
  ...publicExposureRules,
  ...openServiceRules,
  ...socketShellRules,
  ...stagedInstallRules,
  ...remoteAccessRules,
  ...accessGrantRules,
  ...carriedAccountRules,
  ...cryptoMiningRules,
  ...hardcodedSecretRules,
  ...supplyChainRules,
  ...manifestRules,
  ...guardrailsRules,
  ...analysisRules,
];

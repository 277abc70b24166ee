// Every rule, in the order findings are listed for the same severity.
import type { Rule } from '../types.ts';
import { accessBeforeConsent } from './access-before-consent.ts';
import { associatedStart } from './associated-start.ts';
import { backgroundAccess } from './background-access.ts';
import { beyondNecessary } from './beyond-necessary.ts';
import { consentDialog } from './consent-dialog.ts';
import { coverageGap } from './coverage-gap.ts';
import { deceptiveDownload } from './deceptive-download.ts';
import { excessiveRate } from './excessive-rate.ts';
import { findingTransmitted } from './finding-transmitted.ts';
import { installInducement } from './install-inducement.ts';
import { periodicCollection } from './periodic-collection.ts';
import { permissionBypass } from './permission-bypass.ts';
import { permissionRerequest } from './permission-rerequest.ts';
import { popupHarassment } from './popup-harassment.ts';
import { prematurePermission } from './premature-permission.ts';
import { refusalExit } from './refusal-exit.ts';
import { rerequestNextStart } from './rerequest-next-start.ts';
import { rewardForIdentity } from './reward-for-identity.ts';
import { transmissionBeforeConsent } from './transmission-before-consent.ts';
import { undeclaredCollection } from './undeclared-collection.ts';
import { undisclosedPersonalisation } from './undisclosed-personalisation.ts';
import { undisclosedRecipient } from './undisclosed-recipient.ts';
import { unusedDangerousPermission } from './unused-dangerous-permission.ts';

export const RULES: readonly Rule[] = [
  accessBeforeConsent,
  beyondNecessary,
  undeclaredCollection,
  backgroundAccess,
  excessiveRate,
  permissionBypass,
  unusedDangerousPermission,
  popupHarassment,
  permissionRerequest,
  installInducement,
  coverageGap,
  consentDialog,
  refusalExit,
  rerequestNextStart,
  prematurePermission,
  associatedStart,
  deceptiveDownload,
  periodicCollection,
  rewardForIdentity,
  undisclosedPersonalisation,
  transmissionBeforeConsent,
  undisclosedRecipient,
  // Last: raises the severity of earlier findings whose values were sent.
  findingTransmitted,
];

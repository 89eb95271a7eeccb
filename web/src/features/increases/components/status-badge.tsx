import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '@/components/ui';
import type { IncreasePreviewItem, IncreaseStatus } from '@/lib/api/contract';

/** The tone of each AWS status; the badge always says the status in words too. */
const TONE: Record<IncreaseStatus, BadgeTone> = {
  PENDING: 'info',
  CASE_OPENED: 'info',
  APPROVED: 'ok',
  DENIED: 'error',
  CASE_CLOSED: 'muted',
  NOT_APPROVED: 'error',
  INVALID_REQUEST: 'error',
};

/** Every AWS status of a request, in the order the filters list them. */
export const STATUSES = Object.keys(TONE) as IncreaseStatus[];

/** The translated name of an AWS status (the AWS code as its title). */
export function IncreaseStatusBadge({ status }: { status: IncreaseStatus }) {
  const { t } = useTranslation();
  return (
    <Badge tone={TONE[status]} title={status}>
      {t(`increases.status.${status}`)}
    </Badge>
  );
}

/** A preview's refusal in words: the translated text of its code, else the server's message. */
export function problemText(t: TFunction, problem: NonNullable<IncreasePreviewItem['problem']>): string {
  return t(`increases.problem.${problem.code}`, { defaultValue: problem.message });
}

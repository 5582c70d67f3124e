import { LANGUAGES } from '../../../shared/enums';
import { QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useCall, useCallId } from '../calls/useCall';
import { AssignmentBox } from './AssignmentBox';
import { ReviewForm } from './ReviewForm';
import { proposalAllows, useProposal } from './useProposal';

/** The proposal in both languages side by side, its PIs and budget per agency, my assignment and my review. */
export function ProposalDetailsPage() {
  const { t, fmt } = useI18n();
  const callId = useCallId();
  const call = useCall(callId);
  const proposal = useProposal();
  return (
    <QueryState query={call}>
      {(callData) => (
        <QueryState query={proposal}>
          {(p) => {
            const maxYears = Math.max(0, ...Object.values(p.budget).map((years) => years.length));
            return (
            <div className="stack">
              <section aria-labelledby="bilingual-title">
                <h3 id="bilingual-title">{t('proposal.textsTitle')}</h3>
                <div className="bilingual">
                  {LANGUAGES.map((lang) => (
                    <div key={lang} className="bilingual-column">
                      <h4>{t(`language.${lang}`)}</h4>
                      <p className="proposal-title" lang={lang}>
                        {p.title[lang] ?? <span className="muted">{t('proposal.notGiven')}</span>}
                      </p>
                      <p lang={lang}>{p.abstract[lang] ?? <span className="muted">{t('proposal.notGiven')}</span>}</p>
                    </div>
                  ))}
                </div>
              </section>
              <section aria-labelledby="pis-title">
                <h3 id="pis-title">{t('proposal.pis')}</h3>
                <table className="plain">
                  <thead>
                    <tr>
                      <th scope="col">{t('proposal.piName')}</th>
                      <th scope="col">{t('proposal.institution')}</th>
                      <th scope="col">{t('proposal.agency')}</th>
                      <th scope="col">{t('proposal.email')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.pis.map((pi) => (
                      <tr key={`${pi.agency}-${pi.email}`}>
                        <td>{pi.name}</td>
                        <td>{pi.institution}</td>
                        <td>{pi.agency}</td>
                        <td>{pi.email}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section aria-labelledby="budget-title">
                <h3 id="budget-title">{t('proposal.budget')}</h3>
                <p className="muted">{t('proposal.period', { months: p.periodMonths })}</p>
                <table className="plain">
                  <thead>
                    <tr>
                      <th scope="col">{t('proposal.agency')}</th>
                      {Array.from({ length: maxYears }, (_, i) => (
                        <th scope="col" key={i} className="num">
                          {t('proposal.year', { year: i + 1 })}
                        </th>
                      ))}
                      <th scope="col" className="num">
                        {t('proposal.budgetTotal')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(p.budget).map(([agency, years]) => {
                      const currency = callData.agencies.find((a) => a.code === agency)?.currency ?? 'JPY';
                      return (
                        <tr key={agency}>
                          <th scope="row">{agency}</th>
                          {Array.from({ length: maxYears }, (_, i) => (
                            <td key={i} className="num">
                              {years[i] === undefined ? '–' : fmt.money(years[i], currency)}
                            </td>
                          ))}
                          <td className="num">{fmt.money(years.reduce((sum, amount) => sum + amount, 0), currency)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </section>
              <AssignmentBox proposal={p} callId={callId} />
              {proposalAllows(p, 'review:readOwn') && <ReviewForm call={callData} proposal={p} />}
            </div>
            );
          }}
        </QueryState>
      )}
    </QueryState>
  );
}

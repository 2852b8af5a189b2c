-- Live reviews for moderators (Moderation): those readers' flags hide ({kind} 'hidden'), those any
-- reader flagged ('flagged'), or those possibly the requester's own ('own'), with the reasons given
-- (every flag's, a restore's earlier ones too) and the last flag's time. Hidden reviews stay here,
-- whole, as they stay in reviews and review_history.
SELECT v.requester_id, v.review_id, v.flaggers, v.hidden, v.own, fl.reasons, fl.last_flag,
    v.pay, v.fairness, v.communication, v.promptness, v.text, v.updated_at
FROM live_reviews AS v
LEFT JOIN (
    SELECT requester_id, author, arrayStringConcat(arraySort(groupUniqArray(reason)), ',') AS reasons, max(at) AS last_flag
    FROM review_flags
    WHERE flagger != 'moderator'
    GROUP BY requester_id, author
) AS fl ON fl.requester_id = v.requester_id AND fl.author = v.author
WHERE multiIf({kind:String} = 'hidden', v.hidden = 1,
              {kind:String} = 'flagged', fl.reasons != '',
              v.own = 1)
ORDER BY v.hidden DESC, fl.last_flag DESC, v.updated_at DESC, v.review_id

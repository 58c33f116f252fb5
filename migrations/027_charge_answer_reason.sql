-- Why the customer rejected (or approved) a charge that needed its approval (issue 23): the portal
-- asks for a reason with a rejection, and the carrier reads it on the charge.
alter table order_charges add column approval_reason text;

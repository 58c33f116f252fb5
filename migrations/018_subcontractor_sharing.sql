-- What a subcontractor learns about the orders it carries. By default its dispatches and pushes
-- name each customer by name and code only and leave the order's pricing out; a tenant that wants
-- a subcontractor to see the customer's full record and the order's pricing opts in per company.
alter table companies add column subcontractor_sees_order_details boolean not null default false;
